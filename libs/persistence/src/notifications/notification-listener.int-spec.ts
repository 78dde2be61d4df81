import pg from 'pg';
import { createScratchDatabase, type ScratchDatabase } from '../testing/scratch-database.js';
import { NotificationListener } from './notification-listener.js';

/** Resolves once `condition` holds (checked every 20 ms), or fails after 10 s naming `what`. */
async function until(what: string, condition: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A listener and what it was told. */
function aListener(url: string, channel: string, applicationName: string) {
  const heard: string[] = [];
  const events: string[] = [];
  const listener = new NotificationListener({
    url,
    channel,
    applicationName,
    onNotification: (payload) => heard.push(payload),
    onListening: () => events.push('listening'),
    onLost: () => events.push('lost'),
    onProblem: () => undefined,
    reconnectDelayMs: 50,
  });
  return { listener, heard, events };
}

describe('NotificationListener (real PostgreSQL)', () => {
  let database: ScratchDatabase;
  let operator: pg.Client;

  beforeAll(async () => {
    database = await createScratchDatabase('notification_listener');
    operator = new pg.Client({ connectionString: database.url });
    await operator.connect();
  });
  afterAll(async () => {
    await operator?.end();
    await database?.drop();
  });

  const backends = async (applicationName: string) =>
    (await operator.query(`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1`, [applicationName])).rows.map(
      (row: { pid: number }) => row.pid,
    );

  it('shares one connection among the listeners of a database and application name, each hearing its own channel; another name has its own', async () => {
    const relay = aListener(database.url, 'spec_outbox', 'spec-listener');
    const dispatcher = aListener(database.url, 'spec_delivery', 'spec-listener');
    const elsewhere = aListener(database.url, 'spec_delivery', 'spec-other-listener');
    await Promise.all([relay, dispatcher, elsewhere].map(({ listener }) => listener.start()));
    try {
      // PostgreSQL wakes every LISTENing backend of the database on any NOTIFY: one backend for both, not two.
      expect((await backends('spec-listener')).length).toBe(1);
      expect((await backends('spec-other-listener')).length).toBe(1);
      expect([relay.events, dispatcher.events]).toEqual([['listening'], ['listening']]);

      await operator.query(`SELECT pg_notify('spec_outbox', 'o1'), pg_notify('spec_delivery', 'd1')`);
      await until('both channels heard', () => relay.heard.length === 1 && dispatcher.heard.length === 1 && elsewhere.heard.length === 1);
      expect([relay.heard, dispatcher.heard, elsewhere.heard]).toEqual([['o1'], ['d1'], ['d1']]);
    } finally {
      await Promise.all([relay, dispatcher, elsewhere].map(({ listener }) => listener.stop()));
    }
    // The connection ends with its last listener.
    await until('no listening backend left', async () => (await backends('spec-listener')).length + (await backends('spec-other-listener')).length === 0);
  });

  it('tells every listener of a lost shared connection, listens again on every channel, and keeps listening for the others when one stops', async () => {
    const relay = aListener(database.url, 'spec_outbox', 'spec-listener');
    const dispatcher = aListener(database.url, 'spec_delivery', 'spec-listener');
    await relay.listener.start();
    await dispatcher.listener.start();
    try {
      const [pid] = await backends('spec-listener');
      await operator.query(`SELECT pg_terminate_backend($1)`, [pid]);
      await until('both listening again', () => [relay, dispatcher].every(({ events }) => events.join() === 'listening,lost,listening'));
      expect(await backends('spec-listener')).toEqual([expect.any(Number)]);
      expect(await backends('spec-listener')).not.toEqual([pid]);

      await operator.query(`SELECT pg_notify('spec_outbox', 'o2'), pg_notify('spec_delivery', 'd2')`);
      await until('both channels heard after the reconnect', () => relay.heard.length === 1 && dispatcher.heard.length === 1);

      await relay.listener.stop();
      await operator.query(`SELECT pg_notify('spec_outbox', 'o3'), pg_notify('spec_delivery', 'd3')`);
      await until('the remaining listener heard', () => dispatcher.heard.length === 2);
      expect([relay.heard, dispatcher.heard]).toEqual([['o2'], ['d2', 'd3']]);
      expect((await backends('spec-listener')).length).toBe(1);
    } finally {
      await relay.listener.stop();
      await dispatcher.listener.stop();
    }
  });
});
