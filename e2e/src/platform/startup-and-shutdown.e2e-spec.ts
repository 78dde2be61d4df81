import { randomUUID } from 'node:crypto';
import { PlatformRegisteredV1 } from '@skald/contracts';
import { dropDatabase } from '@skald/persistence';
import { BrokerProbe, createTestVhost, waitFor } from '@skald/testing';
import pg from 'pg';
import { newInternalToken, SERVICES, startService } from '../../../scripts/lib/suite.mjs';
import { serviceEnv, uniqueDatabaseUrl } from '../../support/environment.mjs';
import { runToExit } from '../../support/processes.js';
import { suite } from '../../support/suite-state.mjs';

const EXIT_CONFIG = 78;

describe('start-up configuration is validated and fails fast', () => {
  it.each(SERVICES.map((s) => s.name))('%s refuses to start without its database and broker URLs and its internal token, naming them', async (name) => {
    const result = await runToExit(name, 'dist/main.js', {});
    expect(result.code).toBe(EXIT_CONFIG);
    expect(result.stderr).toContain(`Invalid configuration for ${name}:`);
    expect(result.stderr).toMatch(/- DATABASE_URL: must be a URL starting with postgres:\/\/ or postgresql:\/\/ \(not set\)/);
    expect(result.stderr).toMatch(/- RABBITMQ_URL: must be a URL starting with amqp:\/\/ or amqps:\/\/ \(not set\)/);
    expect(result.stderr).toMatch(/- INTERNAL_API_TOKEN: is required: a token of at least 32 characters.* \(not set\)/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('names each malformed variable with the value it got', async () => {
    const result = await runToExit('orders', 'dist/main.js', {
      DATABASE_URL: 'mysql://db/orders',
      RABBITMQ_URL: 'amqp://guest:guest@127.0.0.1:5672',
      PORT: 'eighty',
      LOG_LEVEL: 'loud',
      MESSAGING_RETRY_DELAYS_MS: '100,soon',
      DATABASE_MIGRATE_ON_START: 'perhaps',
    });
    expect(result.code).toBe(EXIT_CONFIG);
    for (const variable of ['DATABASE_URL', 'PORT', 'LOG_LEVEL', 'MESSAGING_RETRY_DELAYS_MS', 'DATABASE_MIGRATE_ON_START']) {
      expect(result.stderr).toMatch(new RegExp(`- ${variable}: `));
    }
    expect(result.stderr).toContain('(got "mysql://db/orders")');
    expect(result.stderr).not.toContain('RABBITMQ_URL');
  });

  it('refuses an internal token shorter than 32 characters, naming the variable but not the value', async () => {
    const short = 'too-short-a-secret-0123456789';
    const result = await runToExit('warehouse', 'dist/main.js', { ...(await serviceEnv('warehouse')), INTERNAL_API_TOKEN: short });
    expect(result.code).toBe(EXIT_CONFIG);
    expect(result.stderr).toContain(`- INTERNAL_API_TOKEN: is required: a token of at least 32 characters`);
    expect(result.stderr).toContain(`(got ${short.length} characters, not shown)`);
    expect(result.stderr + result.stdout).not.toContain(short);
  });

  it('exits non-zero with a clear log line when the database server is unreachable', async () => {
    const result = await runToExit('inventory', 'dist/main.js', {
      ...(await serviceEnv('inventory')),
      INTERNAL_API_TOKEN: newInternalToken(),
      DATABASE_URL: 'postgres://postgres@127.0.0.1:1/skald_inventory',
    });
    expect(result.code).toBe(1);
    const fatal = result.stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line))
      .find((entry) => entry.level === 'fatal');
    expect(fatal).toMatchObject({ service: 'inventory', msg: expect.stringMatching(/^inventory failed to start: .*ECONNREFUSED/) });
  });
});

describe('the migration command', () => {
  it('creates the database, applies pending migrations once, and reports the state', async () => {
    const url = uniqueDatabaseUrl('warehouse');
    try {
      const first = await runToExit('warehouse', 'dist/migrate.js', { DATABASE_URL: url }, ['run']);
      expect(first.code).toBe(0);
      expect(first.stdout).toMatch(/warehouse: [1-9]\d* migration\(s\) applied/);
      expect(first.stdout).toContain('+ MessagingTables1763800000000');

      const again = await runToExit('warehouse', 'dist/migrate.js', { DATABASE_URL: url }, ['run']);
      expect(again.stdout).toContain('warehouse: 0 migration(s) applied');

      const show = await runToExit('warehouse', 'dist/migrate.js', { DATABASE_URL: url }, ['show']);
      expect(show.stdout).toContain('warehouse: up to date');

      const wrong = await runToExit('warehouse', 'dist/migrate.js', { DATABASE_URL: url }, ['sideways']);
      expect(wrong.code).toBe(64);
      expect(wrong.stdout).toContain('usage: migrate [run|revert|show]');
    } finally {
      await dropDatabase(url);
    }
  });
});

describe('SIGTERM', () => {
  it('turns readiness off at once, finishes the message in flight, then exits 0', async () => {
    // A service of its own (own vhost, own database): the suite's orders must not share its queue.
    const vhost = await createTestVhost('sigterm', suite().rabbitmqUrl);
    const env = await serviceEnv('orders', { RABBITMQ_URL: vhost.url, LOG_LEVEL: 'info', SHUTDOWN_TIMEOUT_MS: '30000' });
    const service = startService('orders', env);
    const locker = new pg.Client({ connectionString: env.DATABASE_URL });
    const probe = new BrokerProbe(vhost.url);
    let exited = false;
    void service.exited.then(() => (exited = true));
    try {
      const url = await service.ready;
      // Every handler starts by writing its inbox record: with that table locked, the next
      // message stays in flight for as long as the test wants.
      await locker.connect();
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE inbox_message IN ACCESS EXCLUSIVE MODE');
      await probe.start();
      await probe.consumerOf('orders');
      const tenantId = `sigterm-${randomUUID()}`;
      const message = probe.publish(PlatformRegisteredV1, { tenantId, name: 'Drained', priceTolerancePct: 5, reviewAmountThreshold: '1000.00' }, { tenantId });
      await waitFor('the handler waiting on the inbox lock', async () => {
        // Inside the lock's transaction pg_stat_activity is read once and kept: read it anew.
        await locker.query('SELECT pg_stat_clear_snapshot()');
        const { rows } = await locker.query(
          `SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
        );
        return rows[0].waiting > 0;
      });

      service.child.kill('SIGTERM');
      const notReady = await waitFor('readiness off', async () => {
        const res = await fetch(`${url}/health/ready`);
        return res.status === 503 ? ((await res.json()) as Record<string, unknown>) : undefined;
      });
      expect(notReady).toMatchObject({ status: 503, code: 'UNAVAILABLE', checks: { lifecycle: { status: 'down' }, database: { status: 'up' } } });
      expect(exited).toBe(false); // still draining: the message is in flight

      await locker.query('COMMIT');
      expect(await service.exited).toEqual({ code: 0, signal: null });
      const messages = service.output.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l).msg);
      expect(messages).toEqual(expect.arrayContaining(['SIGTERM received: draining in-flight work', 'stopped cleanly']));
      // Drained, not dropped: the in-flight message's effect and inbox record were committed.
      const { rows: policies } = await locker.query(`SELECT tenant_id FROM tenant_policy WHERE tenant_id = $1`, [tenantId]);
      expect(policies).toEqual([{ tenant_id: tenantId }]);
      const { rows: inbox } = await locker.query(`SELECT message_id FROM inbox_message WHERE message_id = $1`, [message.id]);
      expect(inbox).toHaveLength(1);
    } finally {
      service.child.kill('SIGKILL');
      await locker.end().catch(() => undefined);
      await probe.stop().catch(() => undefined);
      await dropDatabase(env.DATABASE_URL);
      await vhost.remove();
    }
  });
});
