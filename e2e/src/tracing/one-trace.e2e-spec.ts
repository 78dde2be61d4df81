import { randomBytes, randomUUID } from 'node:crypto';
import { waitFor } from '@skald/testing';
import amqplib, { type ChannelModel, type ConsumeMessage } from 'amqplib';
import { createPlatform, createStaffKey } from '../../support/gateway-client.js';
import { Trading } from '../../support/trading.js';
import { FaultSuite } from '../faults/fault-suite.js';
import { OtlpReceiver, SPAN_KIND, type ReceivedSpan } from './otlp-receiver.js';

/** W3C traceparent: version 00, 32-hex trace id, 16-hex span id (neither all zeros), flags. */
const TRACEPARENT = /^00-(?!0{32})([0-9a-f]{32})-(?!0{16})[0-9a-f]{16}-0[01]$/;

/**
 * Tracing across the platform, on exported spans. A suite of its own: the shared e2e suite does
 * not export spans (every other test would pay for it), this one exports to an OTLP/HTTP receiver
 * in the test (JSON encoding), with a short batch delay so spans arrive within the test.
 */
describe('one trace across the platform (own suite exporting to an OTLP receiver, real PostgreSQL and RabbitMQ)', () => {
  const receiver = new OtlpReceiver();
  let suite: FaultSuite;
  let broker: ChannelModel;
  /** Every message published on skald.events and skald.commands while the suite runs. */
  const onBroker: ConsumeMessage[] = [];

  beforeAll(async () => {
    await receiver.start();
    suite = await new FaultSuite({
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_BSP_SCHEDULE_DELAY: '100',
    }).start();
    broker = await amqplib.connect(suite.rabbitmqUrl);
    const channel = await broker.createChannel();
    const { queue } = await channel.assertQueue('', { exclusive: true });
    for (const exchange of ['skald.events', 'skald.commands']) await channel.bindQueue(queue, exchange, '#');
    await channel.consume(queue, (message) => message && onBroker.push(message), { noAck: true });
  }, 180_000);

  afterAll(async () => {
    await broker?.close();
    await suite?.stop();
    await receiver.stop();
  });

  it('follows an order from the gateway through orders, inventory and warehouse in the trace the client started; every message carries a traceparent', async () => {
    const { client: shop } = await createPlatform('Traced shop', {}, suite);
    const t = new Trading(shop, await createStaffKey(['inventory', 'reviewer', 'ops'], suite), await createStaffKey(['warehouse'], suite), suite);
    const sku = await t.sku('TRACED', 4);
    await t.receive(await t.warehouse('WH-TRACE', 1), [{ sku, quantity: 10 }]);

    const client = { traceId: randomBytes(16).toString('hex'), spanId: randomBytes(8).toString('hex') };
    const { body, email } = t.orderRequest([{ sku, quantity: 2, unitPrice: 4 }], { paid: true });
    const placed = await shop.expect(
      202,
      shop.call('POST', '/v1/orders', body, { 'idempotency-key': randomUUID(), traceparent: `00-${client.traceId}-${client.spanId}-01` }),
    );
    await t.reaches(placed.id, 'released');
    await t.notesOf(placed.id, 1);

    // The gateway's server span continues the client's trace, its child the call it forwards to orders.
    // A handler's span ends (and is exported) after the spans of its work: waited for by kind.
    const handled = (spans: ReceivedSpan[], service: string) =>
      spans.filter((span) => span.service === service && span.kind === SPAN_KIND.CONSUMER).map((span) => span.name);
    const spans = await waitFor('spans of gateway and orders, and handler spans of inventory and warehouse in the trace', () => {
      const found = receiver.trace(client.traceId);
      const services = new Set(found.map((span) => span.service));
      const complete = services.has('gateway') && services.has('orders') && ['inventory', 'warehouse'].every((name) => handled(found, name).length > 0);
      return complete ? found : undefined;
    });
    const entry = spans.find((span) => span.service === 'gateway' && span.kind === SPAN_KIND.SERVER && span.parentSpanId === client.spanId);
    expect(entry).toMatchObject({ name: 'POST /v1/orders' });
    const ordersEntry = spans.find((span) => span.service === 'orders' && span.kind === SPAN_KIND.SERVER);
    const forwarded = spans.find((span) => span.spanId === ordersEntry?.parentSpanId);
    expect(forwarded).toMatchObject({ service: 'gateway', kind: SPAN_KIND.CLIENT });
    // The order's database work and the messages of its saga are parts of the same trace.
    expect(spans.some((span) => span.service === 'orders' && (span.attributes['db.system.name'] ?? span.attributes['db.system']) === 'postgresql')).toBe(true);
    expect(handled(spans, 'inventory')).toContain('inventory.reserve-stock.v1 process');
    // The customer's details travel in messages and rows, never into a span (the outbox inlines its rows in SQL).
    expect(JSON.stringify(receiver.spans)).not.toContain(email);

    // Every message on the broker carries a traceparent; this order's carry the client's trace id.
    await waitFor('the messages of the order on the broker', () => onBroker.some((m) => m.properties.correlationId === placed.id));
    expect(onBroker.length).toBeGreaterThan(0);
    const headers = onBroker.map((message) => ({ type: message.properties.type as string, traceparent: message.properties.headers?.traceparent as unknown }));
    expect(headers.filter(({ traceparent }) => typeof traceparent !== 'string' || !TRACEPARENT.test(traceparent))).toEqual([]);
    const ofOrder = onBroker.filter((message) => message.properties.correlationId === placed.id);
    expect(ofOrder.map((message) => `${message.properties.type} ${TRACEPARENT.exec(String(message.properties.headers?.traceparent))?.[1]}`)).toEqual(
      ofOrder.map((message) => `${message.properties.type} ${client.traceId}`),
    );
  });
});
