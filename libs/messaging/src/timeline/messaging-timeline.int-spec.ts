import { randomUUID } from 'node:crypto';
import type { MessageEnvelope } from '@skald/contracts';
import { ItemRecorded, MessagingHarness } from '../../test/harness.js';
import { MessageConsumer } from '../consumer/message-consumer.js';
import { waitFor } from '../testing/wait-for.js';
import { MessagingTimelineSource } from './messaging-timeline-source.js';

describe('the inbox and outbox in a saga timeline (real PostgreSQL and RabbitMQ)', () => {
  let world: MessagingHarness;

  beforeAll(async () => {
    world = await new MessagingHarness('timeline').setUp();
  });

  afterAll(async () => {
    await world.tearDown();
  });

  it('records the handler, the attempt that succeeded, the duration and the trace id of a handled message, and lists what it published', async () => {
    const correlationId = randomUUID();
    const traceId = randomUUID().replace(/-/g, '');
    let calls = 0;
    const consumer = new MessageConsumer({ service: world.service, connection: world.connection(), dataSource: world.dataSource, retryDelaysMs: [50] });
    consumer.addHandler(
      world.event.routingKey,
      async (payload: ItemRecorded, context) => {
        calls += 1;
        if (calls === 1) throw new Error('first attempt fails');
        await context.manager.query(`SELECT pg_sleep(0.05)`);
        await context.publish(world.event, { itemId: `${payload.itemId}-next`, quantity: 1 });
      },
      'ItemsHandler.onItemRecorded',
    );
    consumer.start();
    await consumer.waitUntilConsuming();
    const envelope: MessageEnvelope = {
      id: randomUUID(),
      type: world.event.type,
      version: 1,
      occurredAt: new Date().toISOString(),
      correlationId,
      causationId: null,
      tenantId: null,
      payload: { itemId: 'tea', quantity: 2 },
    };
    world.rawChannel.publish(world.event.exchange, world.event.routingKey, Buffer.from(JSON.stringify(envelope)), {
      messageId: envelope.id,
      headers: { traceparent: `00-${traceId}-${'1'.repeat(16)}-01` },
    });

    const source = new MessagingTimelineSource(world.service, world.dataSource);
    const entries = await waitFor('the handled message and the one it wrote', async () => {
      const found = await source.entriesFor(correlationId);
      return found.length >= 2 ? found : undefined;
    });
    await consumer.stop(5_000);

    const handled = entries.find((entry) => entry.kind === 'message.handled');
    expect(handled).toMatchObject({
      service: world.service,
      messageId: envelope.id,
      routingKey: world.event.routingKey,
      handler: 'ItemsHandler.onItemRecorded',
      attempts: 2,
      traceId,
      summary: `${world.event.routingKey} handled by ItemsHandler.onItemRecorded (attempt 2)`,
    });
    expect(handled!.durationMs).toBeGreaterThanOrEqual(50);
    const published = entries.find((entry) => entry.kind === 'message.published');
    expect(published).toMatchObject({ service: world.service, routingKey: world.event.routingKey, summary: `${world.event.routingKey} written, not yet published` });
    // A message of another saga is not in this one's timeline.
    expect(await source.entriesFor(randomUUID())).toEqual([]);
  });

  it('reads the trace id of a published message from its traceparent header, and answers from the correlation id indexes', async () => {
    const correlationId = randomUUID();
    const traceId = 'f'.repeat(31) + '1';
    await world.dataSource.query(
      `INSERT INTO outbox_message (id, exchange, routing_key, envelope, headers, correlation_id, sent_at) VALUES ($1, 'skald.events', 'x.y.v1', '{}', $2, $3, now())`,
      [randomUUID(), JSON.stringify({ traceparent: `00-${traceId}-${'2'.repeat(16)}-01` }), correlationId],
    );
    const [entry] = await new MessagingTimelineSource('svc', world.dataSource).entriesFor(correlationId);
    expect(entry).toMatchObject({ kind: 'message.published', traceId, summary: 'x.y.v1 published' });

    // The tables here are tiny (a scan is cheapest); with scans ruled out the plan shows the index is there.
    const plans = await world.dataSource.transaction(async (manager) => {
      await manager.query(`SET LOCAL enable_seqscan = off`);
      const explain = async (table: string) =>
        ((await manager.query(`EXPLAIN SELECT * FROM ${table} WHERE correlation_id = 'x'`)) as Array<{ 'QUERY PLAN': string }>).map((row) => row['QUERY PLAN']).join('\n');
      return [await explain('inbox_message'), await explain('outbox_message')];
    });
    expect(plans[0]).toContain('inbox_message_correlation_idx');
    expect(plans[1]).toContain('outbox_message_correlation_idx');
  });
});
