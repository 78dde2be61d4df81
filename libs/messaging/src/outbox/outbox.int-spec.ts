import { SkaldError } from '@skald/contracts';
import type { EntityManager } from 'typeorm';
import { MessagingHarness } from '../../test/harness.js';
import { TcpProxy } from '../testing/tcp-proxy.js';
import { waitFor } from '../testing/wait-for.js';
import { Outbox } from './outbox.js';

describe('transactional outbox and relay (real PostgreSQL and RabbitMQ)', () => {
  const outbox = new Outbox();
  let world: MessagingHarness;

  beforeEach(async () => {
    world = await new MessagingHarness('outbox').setUp();
  });

  afterEach(async () => {
    await world.tearDown();
  });

  it('commits a state change and its message together; a rolled-back transaction publishes nothing', async () => {
    const probe = await world.probe();
    await world.relay().start();

    const committed = await world.dataSource.transaction(async (manager) => {
      await manager.query(`INSERT INTO test_state (id) VALUES ('kept')`);
      return outbox.publish(manager, world.event, { itemId: 'kept', quantity: 1 });
    });

    let rolledBackId: string | undefined;
    await expect(
      world.dataSource.transaction(async (manager) => {
        await manager.query(`INSERT INTO test_state (id) VALUES ('undone')`);
        rolledBackId = (await outbox.publish(manager, world.event, { itemId: 'undone', quantity: 1 })).id;
        throw new Error('business rule failed after publish');
      }),
    ).rejects.toThrow('business rule failed after publish');

    // A message committed after the rolled-back one: once it arrives, the relay has drained.
    const marker = await world.dataSource.transaction((manager) =>
      outbox.publish(manager, world.event, { itemId: 'marker', quantity: 2 }),
    );
    await waitFor('marker message', () => probe.ids().includes(marker.id));

    expect(probe.ids()).toEqual([committed.id, marker.id]);
    expect(probe.ids()).not.toContain(rolledBackId);
    const state = await world.dataSource.query(`SELECT id FROM test_state ORDER BY id`);
    expect(state).toEqual([{ id: 'kept' }]);
    const rows = await waitFor('both rows marked sent', async () => {
      const found: Array<{ id: string; sent_at: Date | null }> = await world.dataSource.query(`SELECT id, sent_at FROM outbox_message ORDER BY seq`);
      return found.every((r) => r.sent_at !== null) ? found : undefined;
    });
    expect(rows.map((r) => r.id)).toEqual([committed.id, marker.id]);

    const first = probe.messages[0];
    expect(first.properties.deliveryMode).toBe(2);
    expect(first.properties.correlationId).toBe(committed.correlationId);
    expect(JSON.parse(first.content.toString())).toMatchObject({
      id: committed.id,
      type: world.event.type,
      version: 1,
      payload: { itemId: 'kept', quantity: 1 },
    });
  });

  it('writes the rows with the commit: a savepoint rolled back drops its messages, a failed commit publishes nothing', async () => {
    const probe = await world.probe();
    await world.relay().start();
    // A check at COMMIT time: the transaction fails after every publish and insert succeeded.
    await world.dataSource.query(`
      CREATE FUNCTION refuse_doomed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.id LIKE 'doomed%' THEN RAISE EXCEPTION 'refused at commit: %', NEW.id; END IF; RETURN NEW; END $$`);
    await world.dataSource.query(`
      CREATE CONSTRAINT TRIGGER refuse_doomed AFTER INSERT ON test_state
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION refuse_doomed()`);

    const published: Record<string, string> = {};
    const publish = async (manager: EntityManager, itemId: string) => {
      published[itemId] = (await outbox.publish(manager, world.event, { itemId, quantity: 1 })).id;
    };
    // Quotes, backslashes, a newline and characters outside ASCII travel byte for byte.
    const awkward = `outer 'quoted' \\ back\\slash\nnew line ünïcødé 🚚 $1 ${"$"}{2}`;
    await world.dataSource.transaction(async (manager) => {
      await manager.query(`INSERT INTO test_state (id) VALUES ('nested')`);
      await publish(manager, awkward);
      await expect(
        manager.transaction(async (inner) => {
          await publish(inner, 'inside the rolled-back savepoint');
          throw new Error('inner step failed');
        }),
      ).rejects.toThrow('inner step failed');
      await manager.transaction((inner) => publish(inner, 'inside the kept savepoint'));
      await publish(manager, 'outer, after the savepoints');
    });
    await expect(
      world.dataSource.transaction(async (manager) => {
        await manager.query(`INSERT INTO test_state (id) VALUES ('doomed-1')`);
        await publish(manager, 'doomed');
      }),
    ).rejects.toThrow('refused at commit: doomed-1');

    // One query runner, two transactions in a row: each message written and published once.
    const runner = world.dataSource.createQueryRunner();
    try {
      for (const itemId of ['runner, first', 'runner, second']) {
        await runner.startTransaction();
        await publish(runner.manager, itemId);
        await runner.commitTransaction();
      }
    } finally {
      await runner.release();
    }

    const expected = [awkward, 'inside the kept savepoint', 'outer, after the savepoints', 'runner, first', 'runner, second'];
    await waitFor('the committed messages', () => probe.messages.length >= expected.length);
    const delivered = probe.messages.map((message) => JSON.parse(message.content.toString()) as { id: string; payload: { itemId: string } });
    expect(delivered.map((message) => message.payload.itemId).sort()).toEqual([...expected].sort());
    expect(delivered.map((message) => message.id).sort()).toEqual(expected.map((itemId) => published[itemId]).sort());
    const rows: Array<{ id: string }> = await world.dataSource.query(`SELECT id FROM outbox_message ORDER BY seq`);
    expect(rows.map((row) => row.id).sort()).toEqual(expected.map((itemId) => published[itemId]).sort());
    const stored: Array<{ item: string }> = await world.dataSource.query(
      `SELECT envelope->'payload'->>'itemId' AS item FROM outbox_message WHERE id = $1`,
      [published[awkward]],
    );
    expect(stored).toEqual([{ item: awkward }]);
    expect(await world.dataSource.query(`SELECT id FROM test_state ORDER BY id`)).toEqual([{ id: 'nested' }]);
    await waitFor('every row marked sent', async () => (await world.pendingOutbox()) === 0);
    // Nothing else arrives: a marker committed last is the last delivery.
    const marker = await world.dataSource.transaction((manager) => outbox.publish(manager, world.event, { itemId: 'marker', quantity: 1 }));
    await waitFor('marker message', () => probe.ids().includes(marker.id));
    expect(probe.messages).toHaveLength(expected.length + 1);
  });

  it('refuses a payload that breaks its contract, and a publish outside a transaction', async () => {
    await expect(
      world.dataSource.transaction((manager) =>
        outbox.publish(manager, world.event, { itemId: 'x', quantity: -1 } as never),
      ),
    ).rejects.toMatchObject({ code: 'INVALID_MESSAGE' });
    await expect(outbox.publish(world.dataSource.manager, world.event, { itemId: 'x', quantity: 1 })).rejects.toBeInstanceOf(
      SkaldError,
    );
    const [{ count }] = await world.dataSource.query(`SELECT count(*)::int AS count FROM outbox_message`);
    expect(count).toBe(0);
  });

  it('keeps accepting work while the broker is unreachable and drains the outbox when it returns', async () => {
    const proxy = new TcpProxy();
    await proxy.start();
    try {
      const consumer = world.consumer({ connection: world.connection(proxy.through(world.rabbitmqUrl), 'consumer') });
      consumer.start();
      await consumer.waitUntilConsuming();
      const relayConnection = world.connection(proxy.through(world.rabbitmqUrl), 'relay');
      await world.relay({ connection: relayConnection }).start();

      proxy.cut();
      await waitFor('relay to notice the partition', () => !relayConnection.isConnected());

      const ids: string[] = [];
      for (let i = 0; i < 40; i++) {
        const envelope = await world.dataSource.transaction(async (manager) => {
          await manager.query(`INSERT INTO test_state (id) VALUES ($1)`, [`during-outage-${i}`]);
          return outbox.publish(manager, world.event, { itemId: `during-outage-${i}`, quantity: i });
        });
        ids.push(envelope.id);
      }
      expect(await world.pendingOutbox()).toBe(40);
      expect(await world.effects()).toHaveLength(0);

      proxy.restore();
      await waitFor('every message handled after the broker returned', async () => (await world.effects()).length >= 40, 30_000);
      await waitFor('outbox drained', async () => (await world.pendingOutbox()) === 0);

      const effects = await world.effects();
      expect(effects).toHaveLength(40);
      expect(new Set(effects.map((e) => e.message_id))).toEqual(new Set(ids));
    } finally {
      await proxy.stop();
    }
  });

  it('backs off while its database is unreachable and publishes what was written meanwhile once it answers', async () => {
    const database = new URL(world.databaseUrl);
    const proxy = new TcpProxy(database.hostname, Number(database.port || 5432));
    await proxy.start();
    try {
      const probe = await world.probe();
      const throughProxy = proxy.through(world.databaseUrl);
      const relay = world.relay({ dataSource: await world.newDataSource(throughProxy), databaseUrl: throughProxy });
      await relay.start();
      const before = await world.dataSource.transaction((manager) => outbox.publish(manager, world.event, { itemId: 'before', quantity: 1 }));
      await waitFor('message before the outage published', () => probe.ids().includes(before.id));

      proxy.cut();
      await waitFor('relay backing off', () => relay.waitingForDatabase);
      // Written by another replica whose database connection still works.
      const during = await world.dataSource.transaction((manager) => outbox.publish(manager, world.event, { itemId: 'during', quantity: 2 }));
      expect(probe.ids()).not.toContain(during.id);

      proxy.restore();
      await waitFor('message written during the outage published', () => probe.ids().includes(during.id));
      expect(relay.waitingForDatabase).toBe(false);
      await waitFor('outbox drained', async () => (await world.pendingOutbox()) === 0);
    } finally {
      await proxy.stop();
    }
  });

  it('lets two relays share one outbox: every message published once, each effect once', async () => {
    const total = 600;
    const probe = await world.probe();
    const consumer = world.consumer();
    consumer.start();
    await consumer.waitUntilConsuming();

    const ids: string[] = [];
    await world.dataSource.transaction(async (manager) => {
      for (let i = 0; i < total; i++) {
        ids.push((await outbox.publish(manager, world.event, { itemId: `bulk-${i}`, quantity: i })).id);
      }
    });

    const relays = [
      world.relay({ dataSource: await world.newDataSource(), connection: world.connection(undefined, 'relay-a'), batchSize: 25 }),
      world.relay({ dataSource: await world.newDataSource(), connection: world.connection(undefined, 'relay-b'), batchSize: 25 }),
    ];
    await Promise.all(relays.map((relay) => relay.start()));

    await waitFor('all effects', async () => (await world.effects()).length >= total, 30_000);
    await waitFor('all probe deliveries', () => probe.messages.length >= total);

    expect(probe.messages).toHaveLength(total);
    expect(new Set(probe.ids())).toEqual(new Set(ids));
    expect(relays[0].publishedCount + relays[1].publishedCount).toBe(total);
    const effects = await world.effects();
    expect(effects).toHaveLength(total);
    expect(new Set(effects.map((e) => e.message_id)).size).toBe(total);
  });
});
