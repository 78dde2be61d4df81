import { SkaldError } from '@skald/contracts';
import { MessagingHarness } from '../../test/harness.js';
import { TcpProxy } from '../../test/tcp-proxy.js';
import { waitFor } from '../../test/wait-for.js';
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
      const consumer = world.consumer({ connection: world.connection(proxy.url(), 'consumer') });
      consumer.start();
      await consumer.waitUntilConsuming();
      const relayConnection = world.connection(proxy.url(), 'relay');
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
