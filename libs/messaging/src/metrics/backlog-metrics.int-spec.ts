import { randomUUID } from 'node:crypto';
import { Registry, type Gauge } from 'prom-client';
import { MessagingHarness } from '../../test/harness.js';
import { Outbox } from '../outbox/outbox.js';
import { waitFor } from '../testing/wait-for.js';
import { BacklogMetrics } from './backlog-metrics.js';
import { messagingMetrics } from './messaging-metrics.js';

describe('backlog metrics: outbox lag and backlog, dead-letter depth (real PostgreSQL and RabbitMQ)', () => {
  let world: MessagingHarness;
  let registry: Registry;
  let metrics: BacklogMetrics;

  beforeEach(async () => {
    world = await new MessagingHarness('backlog').setUp();
    registry = new Registry();
    metrics = new BacklogMetrics({ service: world.service, dataSource: world.dataSource, connection: world.connection() }, registry);
  });

  afterEach(async () => {
    await metrics.close();
    await world.tearDown();
  });

  /** The gauge's value for this world's service, as a scrape reads it. */
  async function scrape(name: string): Promise<number | undefined> {
    const { values } = await (registry.getSingleMetric(name) as Gauge).get();
    return values.find((v) => v.labels.service === world.service)?.value;
  }

  it('shows unsent outbox rows and the age of the oldest, back to 0 once the relay sends them', async () => {
    expect(await scrape('skald_outbox_backlog')).toBe(0);
    expect(await scrape('skald_outbox_lag_seconds')).toBe(0);
    const outbox = new Outbox();
    for (const itemId of ['a', 'b']) await world.dataSource.transaction((manager) => outbox.publish(manager, world.event, { itemId, quantity: 1 }));
    // The oldest has waited five minutes (no relay runs yet).
    await world.dataSource.query(`UPDATE outbox_message SET created_at = now() - interval '5 minutes' WHERE seq = (SELECT min(seq) FROM outbox_message)`);

    await waitFor('two rows in the backlog', async () => (await scrape('skald_outbox_backlog')) === 2);
    const lag = await scrape('skald_outbox_lag_seconds');
    expect(lag).toBeGreaterThanOrEqual(300);
    expect(lag).toBeLessThan(400);

    await world.relay().start();
    await waitFor('an empty backlog', async () => (await scrape('skald_outbox_backlog')) === 0);
    expect(await scrape('skald_outbox_lag_seconds')).toBe(0);
  });

  it('counts the dead-letter queue as the broker does, and the failed handling as dead_lettered', async () => {
    const consumer = world.consumer();
    consumer.start();
    await consumer.waitUntilConsuming();
    expect(await scrape('skald_dead_letter_depth')).toBe(0);
    const before = await consumedAs('dead_lettered');

    // A message no retry can fix: dead-lettered at once.
    const message = { id: randomUUID(), type: world.event.type, version: 1, occurredAt: new Date().toISOString(), correlationId: randomUUID(), causationId: null, tenantId: 't', payload: { itemId: 7 } };
    world.rawChannel.publish(world.event.exchange, world.event.routingKey, Buffer.from(JSON.stringify(message)), { persistent: true, messageId: message.id });

    await waitFor('one dead letter counted', async () => (await scrape('skald_dead_letter_depth')) === 1);
    expect(await consumedAs('dead_lettered')).toBe(before + 1);
  });

  async function consumedAs(outcome: string): Promise<number> {
    const { values } = await messagingMetrics().consumed.get();
    return values.filter((v) => v.labels.service === world.service && v.labels.outcome === outcome).reduce((sum, v) => sum + v.value, 0);
  }
});
