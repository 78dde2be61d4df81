import { randomUUID } from 'node:crypto';
import { SkaldError, type MessageEnvelope } from '@skald/contracts';
import { ItemRecorded, MessagingHarness } from '../../test/harness.js';
import type { MessageConsumer } from '../consumer/message-consumer.js';
import { TcpProxy } from '../testing/tcp-proxy.js';
import { waitFor } from '../testing/wait-for.js';
import { deadLetterQueueName, mainQueueName } from '../topology/names.js';
import { DeadLetterTimelineSource } from './dead-letter-timeline-source.js';
import { DeadLetters } from './dead-letters.js';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const TRACEPARENT = `00-${TRACE_ID}-00f067aa0ba902b7-01`;

describe('dead letters: recorded, listed, replayed and discarded (real PostgreSQL and RabbitMQ)', () => {
  let world: MessagingHarness;
  let deadLetters: DeadLetters;

  beforeEach(async () => {
    world = await new MessagingHarness('deadletters').setUp();
    deadLetters = new DeadLetters(world.service, world.connection(undefined, 'dead-letters'), world.dataSource);
  });

  afterEach(async () => {
    await world.tearDown();
  });

  function envelope(payload: Partial<ItemRecorded>, correlationId = randomUUID()): MessageEnvelope {
    return { id: randomUUID(), type: world.event.type, version: 1, occurredAt: new Date().toISOString(), correlationId, causationId: null, tenantId: 'tenant-a', payload };
  }

  function publish(message: MessageEnvelope | Buffer, messageId = (message as MessageEnvelope).id): void {
    const content = Buffer.isBuffer(message) ? message : Buffer.from(JSON.stringify(message));
    world.rawChannel.publish(world.event.exchange, world.event.routingKey, content, {
      persistent: true,
      messageId,
      correlationId: Buffer.isBuffer(message) ? undefined : message.correlationId,
      headers: { traceparent: TRACEPARENT, 'x-test-header': 'kept' },
    });
  }

  /** A consumer whose handler refuses (non-retryable) while `refusing()` says so. */
  async function consumer(refusing: () => boolean, options: Parameters<MessagingHarness['consumer']>[0] = {}): Promise<MessageConsumer & { deadLettered: string[]; committed: string[] }> {
    const started = world.consumer({
      retryDelaysMs: [],
      ...options,
      onHandle: () => {
        if (refusing()) throw new SkaldError('SKU_UNKNOWN', 'no such SKU', { retryable: false });
      },
    }) as MessageConsumer & { deadLettered: string[]; committed: string[] };
    started.deadLettered = [];
    started.committed = [];
    started.on('dead-lettered', (event: { messageId: string }) => started.deadLettered.push(event.messageId));
    started.on('committed', (event: MessageEnvelope) => started.committed.push(event.id));
    started.start();
    await started.waitUntilConsuming();
    return started;
  }

  const depth = async () => (await world.rawChannel.checkQueue(deadLetterQueueName(world.service))).messageCount;

  it('records a dead letter in the service database with its reason, ids and trace id, and lists it with the depth', async () => {
    const c = await consumer(() => true);
    const message = envelope({ itemId: 'poison', quantity: 1 });
    publish(message);
    await waitFor('dead-lettered', () => c.deadLettered.length === 1);

    const [row] = await world.dataSource.query(`SELECT * FROM dead_letter`);
    expect(row).toMatchObject({
      message_id: message.id,
      routing_key: world.event.routingKey,
      correlation_id: message.correlationId,
      tenant_id: 'tenant-a',
      reason: 'NON_RETRYABLE_ERROR',
      error: 'SKU_UNKNOWN: no such SKU',
      attempts: 1,
      trace_id: TRACE_ID,
      status: 'dead',
    });
    await waitFor('in the queue', async () => (await depth()) === 1);
    const listed = await deadLetters.list({ correlationId: message.correlationId });
    expect(listed).toMatchObject({ service: world.service, depth: 1 });
    expect(listed.deadLetters).toEqual([
      expect.objectContaining({ messageId: message.id, reason: 'NON_RETRYABLE_ERROR', status: 'dead', inQueue: true, recorded: true, traceId: TRACE_ID, actions: [] }),
    ]);
    expect((await deadLetters.list({ correlationId: randomUUID() })).deadLetters).toEqual([]);
    const shown = await deadLetters.show(message.id);
    expect(shown).toMatchObject({ messageId: message.id, body: { id: message.id, payload: { itemId: 'poison' } } });
    expect(shown?.headers).toMatchObject({ traceparent: TRACEPARENT, 'x-test-header': 'kept', 'x-skald-dead-letter-reason': 'NON_RETRYABLE_ERROR' });
    expect(await deadLetters.show(randomUUID())).toBeUndefined();
  });

  it('lists a message the broker dead-lettered itself, though nothing recorded it', async () => {
    const message = envelope({ itemId: 'broker', quantity: 1 });
    await world.rawChannel.assertQueue(deadLetterQueueName(world.service), { durable: true, arguments: { 'x-queue-type': 'quorum' } });
    world.rawChannel.sendToQueue(deadLetterQueueName(world.service), Buffer.from(JSON.stringify(message)), { messageId: message.id, correlationId: message.correlationId, persistent: true });
    await waitFor('in the queue', async () => (await depth()) === 1);

    const listed = await deadLetters.list();
    expect(listed.deadLetters).toEqual([expect.objectContaining({ messageId: message.id, reason: 'DELIVERY_LIMIT', recorded: false, inQueue: true, correlationId: message.correlationId, tenantId: 'tenant-a' })]);
  });

  it('replays with the original message id and headers (attempt 1), records who replayed, and the inbox keeps an effect already made single', async () => {
    let refusing = false;
    const c = await consumer(() => refusing);
    const message = envelope({ itemId: 'handled-then-dead', quantity: 2 });
    publish(message);
    await waitFor('handled', () => c.committed.length === 1);
    // The same message once more, now refused: it was handled already, but its copy is a dead letter.
    await world.dataSource.query(`DELETE FROM inbox_message WHERE message_id = $1`, [message.id]);
    refusing = true;
    publish(message);
    await waitFor('dead-lettered', () => c.deadLettered.length === 1);
    await world.dataSource.query(`INSERT INTO inbox_message (message_id, routing_key) VALUES ($1, $2)`, [message.id, world.event.routingKey]);
    await c.stop();

    const replay = await deadLetters.replay({ correlationId: message.correlationId }, { principal: 'staff-key-1' });
    expect(replay).toEqual({ service: world.service, replayed: [message.id] });
    const replayed = await world.rawChannel.get(mainQueueName(world.service), { noAck: false });
    if (!replayed) throw new Error('nothing replayed into the service queue');
    expect(replayed.properties).toMatchObject({ messageId: message.id, correlationId: message.correlationId });
    expect(replayed.properties.headers).toMatchObject({ traceparent: TRACEPARENT, 'x-test-header': 'kept', 'x-skald-attempt': 1 });
    expect(replayed.properties.headers).not.toHaveProperty('x-skald-dead-letter-reason');
    world.rawChannel.nack(replayed, false, true);

    refusing = false;
    const again = await consumer(() => refusing);
    await waitFor('the replayed copy taken', () => again.committed.length === 1);
    expect(await world.effects()).toHaveLength(1);
    expect(await depth()).toBe(0);
    const [view] = (await deadLetters.list({ correlationId: message.correlationId })).deadLetters;
    expect(view).toMatchObject({ status: 'replayed', inQueue: false, actions: [{ action: 'replayed', by: 'staff-key-1', at: expect.any(String) }] });
  });

  it('replays each message once in a run, even when it fails again and is back in the queue before the run ends', async () => {
    const c = await consumer(() => true);
    const correlationId = randomUUID();
    const messages = [1, 2, 3].map((i) => envelope({ itemId: `again-${i}`, quantity: i }, correlationId));
    for (const message of messages) publish(message);
    await waitFor('three dead letters', async () => c.deadLettered.length === 3 && (await depth()) === 3);

    // Each replayed message is dead-lettered again at once; the run does not wait for that, so the
    // first one is made to be back before the run reads on: a loop would read it again.
    const replayed = await deadLetters.queue.replayWhere(
      (letter) => letter.correlationId === correlationId,
      async (letter) => {
        if (letter.messageId === messages[1].id) await waitFor('the first back in the queue', () => c.deadLettered.length >= 4);
      },
    );

    // Each once; in the order they were dead-lettered, which concurrent handlers may change.
    expect(replayed.map((letter) => letter.messageId).sort()).toEqual(messages.map((message) => message.id).sort());
    await waitFor('all three dead again', async () => c.deadLettered.length === 6 && (await depth()) === 3);
    const run = await deadLetters.replay({ correlationId }, { principal: 'staff-key-2' });
    expect([...run.replayed].sort()).toEqual(messages.map((message) => message.id).sort());
    await waitFor('all three dead again', async () => c.deadLettered.length === 9 && (await depth()) === 3);
    const views = (await deadLetters.list({ correlationId })).deadLetters;
    expect(views.map((view) => [view.status, view.actions.length])).toEqual([
      ['dead', 1],
      ['dead', 1],
      ['dead', 1],
    ]);
  });

  it('discards with who and why, and puts the whole story on the saga timeline', async () => {
    const c = await consumer(() => true);
    const message = envelope({ itemId: 'dropped', quantity: 1 });
    publish(message);
    await waitFor('dead-lettered', async () => c.deadLettered.length === 1 && (await depth()) === 1);

    const discarded = await deadLetters.discard(message.id, { principal: 'staff-key-3', reason: 'order cancelled by phone' });

    expect(discarded).toMatchObject({ status: 'discarded', inQueue: false, actions: [{ action: 'discarded', by: 'staff-key-3', reason: 'order cancelled by phone' }] });
    expect(await depth()).toBe(0);
    expect(await deadLetters.discard(message.id, { principal: 'staff-key-3', reason: 'again' })).toBeUndefined();
    const timeline = await new DeadLetterTimelineSource(world.service, world.dataSource).entriesFor(message.correlationId);
    expect(timeline).toEqual([
      expect.objectContaining({ kind: 'message.dead-lettered', failure: true, messageId: message.id, traceId: TRACE_ID, attempts: 1, detail: expect.objectContaining({ reason: 'NON_RETRYABLE_ERROR' }) }),
      expect.objectContaining({ kind: 'message.discarded', messageId: message.id, detail: { by: 'staff-key-3', reason: 'order cancelled by phone' } }),
    ]);
  });

  it('does not dead-letter while the database is down: the record cannot be written, so the consumer pauses and the message waits', async () => {
    const database = new URL(world.databaseUrl);
    const proxy = new TcpProxy(database.hostname, Number(database.port || 5432));
    await proxy.start();
    try {
      const c = await consumer(() => false, { dataSource: await world.newDataSource(proxy.through(world.databaseUrl)), outageProbeDelayMs: { initial: 50, max: 200 } });
      let failedProbes = 0;
      c.on('probe-failed', () => failedProbes++);
      proxy.cut();
      // Not JSON: dead-lettered without touching the database, but for its record.
      const id = randomUUID();
      publish(Buffer.from('not json'), id);

      await waitFor('paused', () => c.paused);
      await waitFor('probed in vain', () => failedProbes >= 2);
      expect(c.deadLettered).toEqual([]);
      expect(await depth()).toBe(0);

      proxy.restore();
      await waitFor('dead-lettered once the database answers', async () => c.deadLettered.length === 1 && (await depth()) === 1, 15_000);
      expect(await world.dataSource.query(`SELECT message_id, reason, attempts FROM dead_letter`)).toEqual([{ message_id: id, reason: 'INVALID_ENVELOPE', attempts: 1 }]);
    } finally {
      await proxy.stop();
    }
  });
});
