import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { SkaldError, type MessageEnvelope } from '@skald/contracts';
import { ItemRecorded, MessagingHarness } from '../../test/harness.js';
import { TcpProxy } from '../testing/tcp-proxy.js';
import { waitFor } from '../testing/wait-for.js';
import { DeadLetterQueue } from '../dead-letters/dead-letter-queue.js';
import { deadLetterQueueName, mainQueueName } from '../topology/names.js';
import type { MessageConsumer } from './message-consumer.js';

describe('message consumer: inbox, retries and dead letters (real PostgreSQL and RabbitMQ)', () => {
  let world: MessagingHarness;

  beforeEach(async () => {
    world = await new MessagingHarness('consumer').setUp();
  });

  afterEach(async () => {
    await world.tearDown();
  });

  function envelope(payload: Partial<ItemRecorded> & Record<string, unknown>): MessageEnvelope {
    return {
      id: randomUUID(),
      type: world.event.type,
      version: 1,
      occurredAt: new Date().toISOString(),
      correlationId: randomUUID(),
      causationId: null,
      tenantId: 'tenant-a',
      payload,
    };
  }

  function publishRaw(body: unknown, messageId?: string): void {
    const content = Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
    world.rawChannel.publish(world.event.exchange, world.event.routingKey, content, {
      persistent: true,
      messageId: messageId ?? (body as MessageEnvelope).id,
    });
  }

  async function started(consumer: MessageConsumer): Promise<MessageConsumer> {
    consumer.start();
    await consumer.waitUntilConsuming();
    return consumer;
  }

  it('gives a message published twice, to two competing replicas, exactly one effect', async () => {
    const settled: string[] = [];
    for (const replica of [world.consumer(), world.consumer({ dataSource: await world.newDataSource() })]) {
      replica.on('committed', (e: MessageEnvelope) => settled.push(e.id));
      await started(replica);
    }
    const messages = Array.from({ length: 30 }, (_, i) => envelope({ itemId: `dup-${i}`, quantity: i }));
    for (const message of messages) {
      publishRaw(message);
      publishRaw(message);
    }
    await waitFor('both copies of every message settled', () => settled.length >= 60);

    const effects = await world.effects();
    expect(effects).toHaveLength(30);
    expect(new Set(effects.map((e) => e.message_id))).toEqual(new Set(messages.map((m) => m.id)));
  });

  it("acks a message its handler's `handles` turns down with no transaction and no inbox record; the others are handled as usual", async () => {
    const ignored: string[] = [];
    const committed: string[] = [];
    const consumer = world.consumer({ handles: (payload) => payload.quantity > 0 });
    consumer.on('ignored', (e: MessageEnvelope) => ignored.push(e.id));
    consumer.on('committed', (e: MessageEnvelope) => committed.push(e.id));
    await started(consumer);
    const wanted = envelope({ itemId: 'wanted', quantity: 2 });
    const unwanted = envelope({ itemId: 'unwanted', quantity: 0 });

    publishRaw(unwanted);
    publishRaw(wanted);
    publishRaw(unwanted);
    await waitFor('both copies of the unwanted one acked, the wanted one committed', () => ignored.length === 2 && committed.length === 1);

    expect(ignored).toEqual([unwanted.id, unwanted.id]);
    expect(committed).toEqual([wanted.id]);
    expect((await world.effects()).map((e) => e.message_id)).toEqual([wanted.id]);
    const inbox: Array<{ message_id: string }> = await world.dataSource.query(`SELECT message_id FROM inbox_message`);
    expect(inbox.map((r) => r.message_id)).toEqual([wanted.id]);
    await waitFor('queue empty after the acks', async () => (await world.rawChannel.checkQueue(mainQueueName(world.service))).messageCount === 0);
  });

  it('redelivers to a new consumer when one is killed after its commit but before its ack; the effect stays single', async () => {
    const fixture = path.join(__dirname, '../../test/fixtures/consumer-process.mjs');
    const env = {
      ...process.env,
      SERVICE: world.service,
      DATABASE_URL: world.databaseUrl,
      RABBITMQ_URL: world.rabbitmqUrl,
      EVENT_TYPE: world.event.type,
    };
    const startChild = (kill: boolean) => {
      const child = spawn(process.execPath, [fixture], {
        env: { ...env, KILL_AFTER_COMMIT: kill ? '1' : '0' },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const lines: Array<Record<string, unknown>> = [];
      createInterface({ input: child.stdout! }).on('line', (line) => {
        if (line.startsWith('{')) lines.push(JSON.parse(line));
      });
      const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
      return { child, lines, exited };
    };
    const stopChild = async (child: ChildProcess, exited: Promise<unknown>) => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    };

    const first = startChild(true);
    try {
      await waitFor('first consumer ready', () => first.lines.some((l) => l.ready), 20_000);
      const message = envelope({ itemId: 'killed-before-ack', quantity: 1 });
      publishRaw(message);

      expect(await first.exited).toBe('SIGKILL');
      expect(first.lines).toContainEqual({ committed: message.id });
      expect(await world.effects()).toHaveLength(1);

      const second = startChild(false);
      try {
        await waitFor('redelivered message settled by the second consumer', () =>
          second.lines.some((l) => l.committed === message.id),
        20_000);
        const effects = await world.effects();
        expect(effects).toEqual([{ message_id: message.id, item_id: 'killed-before-ack' }]);
        await waitFor('queue empty after the ack', async () => {
          const { messageCount } = await world.rawChannel.checkQueue(mainQueueName(world.service));
          return messageCount === 0;
        });
      } finally {
        await stopChild(second.child, second.exited);
      }
    } finally {
      await stopChild(first.child, first.exited);
    }
  });

  it('dead-letters poison messages at once and failing ones after the configured attempts, with the reason, while others flow', async () => {
    let attemptsOfFailing = 0;
    const consumer = world.consumer({
      retryDelaysMs: [50, 100],
      onHandle: (payload) => {
        if (payload.behaviour === 'fail') attemptsOfFailing++;
      },
    });
    const deadLettered: Array<{ reason: string; messageId: string }> = [];
    consumer.on('dead-lettered', (event) => deadLettered.push(event));
    await started(consumer);

    const notJson = randomUUID();
    const badPayload = envelope({ itemId: 'bad', quantity: 'many' as never });
    const failing = envelope({ itemId: 'always-fails', quantity: 1, behaviour: 'fail' });
    const good = Array.from({ length: 10 }, (_, i) => envelope({ itemId: `good-${i}`, quantity: i }));

    publishRaw(Buffer.from('{ not json'), notJson);
    publishRaw(badPayload);
    publishRaw(failing);
    for (const message of good) publishRaw(message);

    await waitFor('three dead letters', () => deadLettered.length >= 3);
    await waitFor('good messages processed', async () => (await world.effects()).length >= 10);

    expect(attemptsOfFailing).toBe(3);
    const letters = await new DeadLetterQueue(world.connection(), world.service).list();
    const byId = new Map(letters.map((letter) => [letter.messageId, letter]));
    expect(byId.get(notJson)).toMatchObject({ reason: 'INVALID_ENVELOPE', error: 'body is not JSON', attempts: 1 });
    expect(byId.get(badPayload.id)).toMatchObject({ reason: 'INVALID_PAYLOAD', attempts: 1 });
    expect(byId.get(badPayload.id)!.error).toContain('quantity');
    expect(byId.get(failing.id)).toMatchObject({ reason: 'RETRIES_EXHAUSTED', attempts: 3, routingKey: world.event.routingKey });
    expect(byId.get(failing.id)!.error).toContain('handler refuses always-fails');
    expect(letters).toHaveLength(3);

    const effects = await world.effects();
    expect(effects.map((e) => e.item_id).sort()).toEqual(good.map((m) => (m.payload as ItemRecorded).itemId).sort());
  });

  it('dead-letters a non-retryable error after one attempt and replays it once the cause is fixed', async () => {
    let broken = true;
    let calls = 0;
    const consumer = world.consumer({
      onHandle: () => {
        calls++;
        if (broken) throw new SkaldError('SKU_UNKNOWN', 'no such SKU', { retryable: false });
      },
    });
    const deadLettered: unknown[] = [];
    consumer.on('dead-lettered', (event) => deadLettered.push(event));
    await started(consumer);

    const message = envelope({ itemId: 'replayed', quantity: 3 });
    publishRaw(message);
    await waitFor('dead letter', () => deadLettered.length === 1);
    expect(calls).toBe(1);

    const dlq = new DeadLetterQueue(world.connection(), world.service);
    const [letter] = await dlq.list();
    expect(letter).toMatchObject({ messageId: message.id, reason: 'NON_RETRYABLE_ERROR', error: 'SKU_UNKNOWN: no such SKU' });

    broken = false;
    expect(await dlq.replay([message.id])).toEqual([message.id]);
    await waitFor('replayed message processed', async () => (await world.effects()).length === 1);
    expect(await dlq.list()).toEqual([]);
  });

  it('finishes in-flight handlers before a graceful stop completes', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let entered = false;
    const consumer = world.consumer({
      onHandle: async () => {
        entered = true;
        await gate;
      },
    });
    await started(consumer);

    publishRaw(envelope({ itemId: 'in-flight', quantity: 1 }));
    await waitFor('handler entered', () => entered);
    const stopping = consumer.stop(10_000);
    expect(consumer.inFlightCount).toBe(1);
    release();
    await stopping;

    expect(await world.effects()).toHaveLength(1);
    const { messageCount } = await world.rawChannel.checkQueue(mainQueueName(world.service));
    expect(messageCount).toBe(0);
  });

  it('waits out a database outage longer than the retry schedule: nothing dead-lettered, no attempt used, every message handled after', async () => {
    const database = new URL(world.databaseUrl);
    const proxy = new TcpProxy(database.hostname, Number(database.port || 5432));
    await proxy.start();
    try {
      const consumer = world.consumer({
        dataSource: await world.newDataSource(proxy.through(world.databaseUrl)),
        retryDelaysMs: [50, 100],
        prefetch: 8,
        // The strictest broker-side limit: a message requeued twice would be dead-lettered by RabbitMQ.
        deliveryLimit: 1,
        outageProbeDelayMs: { initial: 50, max: 200 },
      });
      const deadLettered: unknown[] = [];
      consumer.on('dead-lettered', (event) => deadLettered.push(event));
      let failedProbes = 0;
      consumer.on('probe-failed', () => failedProbes++);
      await started(consumer);
      const main = mainQueueName(world.service);

      const before = envelope({ itemId: 'before-outage', quantity: 1 });
      publishRaw(before);
      await waitFor('message before the outage handled', async () => (await world.effects()).length === 1);

      proxy.cut();
      const during = Array.from({ length: 40 }, (_, i) => envelope({ itemId: `during-${i}`, quantity: i }));
      for (const message of during) publishRaw(message);
      await waitFor('consumer paused', () => consumer.paused);
      // 50 + 100 + 200 + 200 + 200 + 200 ms of failed probes: several times the whole retry schedule.
      await waitFor('database probed in vain for longer than the retry schedule', () => failedProbes >= 6);
      await waitFor('every message back in the queue, no consumer on it', async () => {
        const queue = await world.rawChannel.checkQueue(main);
        return queue.messageCount === during.length && queue.consumerCount === 0;
      });
      expect(consumer.paused).toBe(true);
      expect(deadLettered).toEqual([]);
      expect((await world.rawChannel.checkQueue(deadLetterQueueName(world.service))).messageCount).toBe(0);

      proxy.restore();
      await waitFor('every message handled after the outage', async () => (await world.effects()).length === 1 + during.length, 30_000);
      expect(consumer.paused).toBe(false);
      const effects = await world.effects();
      expect(new Set(effects.map((effect) => effect.message_id))).toEqual(new Set([before, ...during].map((m) => m.id)));
      expect(effects).toHaveLength(1 + during.length);
      expect(new Set(await world.effectAttempts())).toEqual(new Set([1]));
      expect(deadLettered).toEqual([]);
      await waitFor('main queue drained', async () => (await world.rawChannel.checkQueue(main)).messageCount === 0);
      expect((await world.rawChannel.checkQueue(deadLetterQueueName(world.service))).messageCount).toBe(0);
    } finally {
      await proxy.stop();
    }
  });

  it('counts a statement timeout on a database that answers as a failed attempt, without pausing', async () => {
    const consumer = world.consumer({
      dataSource: await world.newDataSource(undefined, { statementTimeoutMs: 100 }),
      retryDelaysMs: [50],
    });
    const deadLettered: Array<{ reason: string; detail: string }> = [];
    consumer.on('dead-lettered', (event) => deadLettered.push(event));
    let paused = false;
    consumer.on('paused', () => (paused = true));
    await started(consumer);

    publishRaw(envelope({ itemId: 'runaway', quantity: 1, behaviour: 'slow' }));
    await waitFor('dead letter after the attempts', () => deadLettered.length === 1);
    expect(deadLettered[0]).toMatchObject({ reason: 'RETRIES_EXHAUSTED' });
    expect(deadLettered[0].detail).toContain('statement timeout');
    expect(paused).toBe(false);
  });

  it('does not loop for ever on a message whose handler causes the outage itself: after a few give-backs it uses attempts and is dead-lettered', async () => {
    let calls = 0;
    const consumer = world.consumer({
      retryDelaysMs: [50],
      maxOutageReturns: 2,
      outageProbeDelayMs: { initial: 20, max: 50 },
      onHandle: (payload) => {
        if (payload.behaviour === 'kill-connection') calls++;
      },
    });
    const deadLettered: Array<{ reason: string; detail: string; messageId: string }> = [];
    consumer.on('dead-lettered', (event) => deadLettered.push(event));
    await started(consumer);

    const poison = envelope({ itemId: 'kills-its-connection', quantity: 1, behaviour: 'kill-connection' });
    publishRaw(poison);
    const good = envelope({ itemId: 'fine', quantity: 2 });
    publishRaw(good);

    await waitFor('the poison message dead-lettered', () => deadLettered.length === 1);
    expect(deadLettered[0]).toMatchObject({ messageId: poison.id, reason: 'RETRIES_EXHAUSTED' });
    expect(deadLettered[0].detail).toContain('terminating connection');
    // Two attempts, each after two give-backs: 3 deliveries to the handler per attempt.
    expect(calls).toBe(6);
    await waitFor('the other message handled', async () => (await world.effects()).some((effect) => effect.message_id === good.id));
    await waitFor('consumer running', () => !consumer.paused);
  });
});
