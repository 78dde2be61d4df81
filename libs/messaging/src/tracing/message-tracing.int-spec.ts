import { randomBytes, randomUUID } from 'node:crypto';
import { context, propagation, SpanKind, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import type { MessageEnvelope } from '@skald/contracts';
import type { ConsumeMessage } from 'amqplib';
import { MessagingHarness, type ItemRecorded } from '../../test/harness.js';
import { MessageConsumer } from '../consumer/message-consumer.js';
import { Outbox } from '../outbox/outbox.js';
import { mainQueueName } from '../topology/names.js';
import { waitFor } from '../testing/wait-for.js';

/** W3C traceparent: version 00, a 32-hex trace id and a 16-hex span id (neither all zeros), flags. */
const TRACEPARENT = /^00-(?!0{32})([0-9a-f]{32})-(?!0{16})([0-9a-f]{16})-0[01]$/;

function traceparentOf(message: ConsumeMessage): { traceId: string; spanId: string } {
  const header = message.properties.headers?.traceparent as unknown;
  expect(header).toEqual(expect.stringMatching(TRACEPARENT));
  const [, traceId, spanId] = TRACEPARENT.exec(String(header)) ?? [];
  return { traceId, spanId };
}

describe('trace context on messages (real PostgreSQL and RabbitMQ)', () => {
  const outbox = new Outbox();
  let world: MessagingHarness;

  beforeEach(async () => {
    world = await new MessagingHarness('tracing').setUp();
  });

  afterEach(async () => {
    await world.tearDown();
  });

  describe('without a tracing SDK (a CLI, a job)', () => {
    it('gives a message published with no span under way a valid traceparent of its own trace', async () => {
      const probe = await world.probe();
      await world.relay().start();
      expect(trace.getActiveSpan()).toBeUndefined();

      const sent = await world.dataSource.transaction(async (manager) => [
        await outbox.publish(manager, world.event, { itemId: 'first', quantity: 1 }),
        await outbox.publish(manager, world.event, { itemId: 'second', quantity: 1 }),
      ]);
      await waitFor('both messages on the broker', () => probe.messages.length >= 2);

      expect(probe.ids()).toEqual(sent.map((envelope) => envelope.id));
      const [first, second] = probe.messages.map(traceparentOf);
      // Two publishes outside any trace: two traces, not one id shared by everything untraced.
      expect(first.traceId).not.toBe(second.traceId);
      const [row] = await world.dataSource.query(`SELECT headers FROM outbox_message WHERE id = $1`, [sent[0].id]);
      expect(row.headers).toEqual({ traceparent: probe.messages[0].properties.headers?.traceparent });
    });
  });

  describe('with a tracing SDK', () => {
    const exporter = new InMemorySpanExporter();

    beforeAll(() => {
      context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
      propagation.setGlobalPropagator(new W3CTraceContextPropagator());
      trace.setGlobalTracerProvider(new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] }));
    });

    afterAll(() => {
      trace.disable();
      propagation.disable();
      context.disable();
    });

    beforeEach(() => exporter.reset());

    it('starts a trace for a message published outside any span: a PRODUCER span whose ids the message carries', async () => {
      const probe = await world.probe();
      await world.relay().start();

      const sent = await world.dataSource.transaction((manager) => outbox.publish(manager, world.event, { itemId: 'scheduled', quantity: 1 }));
      await waitFor('the message on the broker', () => probe.messages.length >= 1);

      const carried = traceparentOf(probe.messages[0]);
      const [span] = exporter.getFinishedSpans().filter((s) => s.attributes['messaging.message.id'] === sent.id);
      expect(span).toMatchObject({ name: `${world.event.routingKey} publish`, kind: SpanKind.PRODUCER });
      expect(span.parentSpanContext).toBeUndefined();
      expect(span.spanContext()).toMatchObject(carried);
    });

    it("continues a handled message's trace: its CONSUMER span is the incoming span's child, and what it publishes carries the same trace id", async () => {
      const probe = await world.probe();
      await world.relay().start();
      const consumer = new MessageConsumer({ service: world.service, connection: world.connection(), dataSource: world.dataSource });
      const forwarded: string[] = [];
      consumer.addHandler(world.event.routingKey, async (payload: ItemRecorded, ctx) => {
        if (payload.behaviour === 'forward') forwarded.push((await ctx.publish(world.event, { itemId: `${payload.itemId}, next`, quantity: 1 })).id);
      });
      consumer.start();
      await consumer.waitUntilConsuming();

      const incoming = { traceId: randomBytes(16).toString('hex'), spanId: randomBytes(8).toString('hex') };
      const envelope: MessageEnvelope = {
        id: randomUUID(),
        type: world.event.type,
        version: 1,
        occurredAt: new Date().toISOString(),
        correlationId: randomUUID(),
        causationId: null,
        tenantId: 'tenant-a',
        payload: { itemId: 'traced', quantity: 1, behaviour: 'forward' },
      };
      world.rawChannel.sendToQueue(mainQueueName(world.service), Buffer.from(JSON.stringify(envelope)), {
        messageId: envelope.id,
        headers: { traceparent: `00-${incoming.traceId}-${incoming.spanId}-01` },
      });
      await waitFor('the forwarded message on the broker', () => forwarded.length === 1 && probe.ids().includes(forwarded[0]));
      await consumer.stop(5_000);

      const spans = exporter.getFinishedSpans();
      const processed = spans.find((s) => s.kind === SpanKind.CONSUMER && s.attributes['messaging.message.id'] === envelope.id);
      const published = spans.find((s) => s.kind === SpanKind.PRODUCER && s.attributes['messaging.message.id'] === forwarded[0]);
      expect(processed?.spanContext().traceId).toBe(incoming.traceId);
      expect(processed?.parentSpanContext).toMatchObject({ ...incoming, isRemote: true });
      expect(published?.spanContext().traceId).toBe(incoming.traceId);
      expect(published?.parentSpanContext?.spanId).toBe(processed?.spanContext().spanId);
      const onBroker = traceparentOf(probe.messages.find((m) => m.properties.messageId === forwarded[0])!);
      expect(onBroker).toEqual({ traceId: incoming.traceId, spanId: published?.spanContext().spanId });
    });
  });
});
