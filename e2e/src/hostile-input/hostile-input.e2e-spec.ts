import { TestSmtpServer, TestWebhookReceiver, waitFor } from '@skald/testing';
import { randomUUID } from 'node:crypto';
import { createPlatform, createStaffKey, type GatewayClient } from '../../support/gateway-client.js';
import { suite } from '../../support/suite-state.mjs';
import { queryService, Trading } from '../../support/trading.js';

type Webhook = { type: string; data: Record<string, unknown> };

/**
 * Hostile input through the gateway to the services and back: a clear 4xx problem+json, never a
 * 5xx, nothing stored; the order amount check (订单金额审核) holds a paid order whose payment
 * differs from its lines, and a cancellation refunds no more than the lines are worth.
 */
describe('hostile input and the order amount check (six services, real PostgreSQL and RabbitMQ)', () => {
  const smtp = new TestSmtpServer();
  const receiver = new TestWebhookReceiver();
  let t: Trading;
  let reviewer: GatewayClient;
  let sku: string;

  const hook = (orderId: string, type: string) =>
    waitFor(`${type} webhook for ${orderId}`, () => receiver.deliveries.map((d) => d.payload as Webhook).find((p) => p.data.orderId === orderId && p.type === type), 30_000);
  const stored = async (externalId: string) => (await queryService('orders', `SELECT id FROM sales_order WHERE external_id = $1`, [externalId])).length;
  const anOrder = (overrides: Record<string, unknown> = {}) => ({
    externalId: `HOSTILE-${randomUUID()}`,
    channel: 'web',
    customer: { id: `C-${t.run}`, name: 'Buyer', email: `buyer-${t.run.toLowerCase()}@example.test` },
    lines: [{ sku, quantity: 2, unitPrice: 12.5 }],
    currency: 'EUR',
    shippingAddress: { line1: 'Kouter 1', city: 'Ghent', postalCode: '9000', country: 'BE' },
    payment: { method: 'card', status: 'paid', amount: 25 },
    ...overrides,
  });
  const raw = (text: string, contentType = 'application/json') =>
    fetch(`${suite().urls.gateway}/v1/orders`, { method: 'POST', headers: { authorization: `Bearer ${t.shop.key}`, 'content-type': contentType }, body: text });

  beforeAll(async () => {
    await smtp.start(suite().ports.smtp);
    await receiver.start();
    const staff = await createStaffKey(['inventory', 'ops']);
    reviewer = await createStaffKey(['reviewer']);
    const shop = (await createPlatform('Hostile shop')).client;
    t = new Trading(shop, staff, await createStaffKey(['warehouse']));
    const subscription = await shop.expect(201, shop.post('/v1/webhooks', { url: receiver.address().url, events: ['*'] }));
    receiver.useSecret(subscription.secret);
    sku = await t.sku('HOSTILE', 12.5);
  });

  afterAll(async () => {
    await Promise.all([smtp.stop(), receiver.stop()]);
    expect(receiver.rejected).toEqual([]);
  });

  it('refuses NUL, other controls and a lone surrogate with 400 naming the field, and stores nothing', async () => {
    for (const [change, field] of [
      [{ customer: { id: 'C-1', name: 'Bu\u0000yer', email: 'b@example.test' } }, 'customer.name'],
      [{ shippingAddress: { line1: 'Kouter\u00851', city: 'Ghent', postalCode: '9000', country: 'BE' } }, 'shippingAddress.line1'],
    ] as const) {
      const order = anOrder(change);
      const res = await t.shop.call('POST', '/v1/orders', order);
      expect([res.status, res.body.code, res.body.errors.map((e: { field: string }) => e.field)]).toEqual([400, 'VALIDATION_FAILED', [field]]);
      expect(await stored(order.externalId)).toBe(0);
    }
    const order = anOrder();
    const surrogate = await raw(JSON.stringify(order).replace('"name":"Buyer"', '"name":"Buy\\ud800er"'));
    expect(surrogate.status).toBe(400);
    expect(surrogate.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await stored(order.externalId)).toBe(0);
  });

  it('refuses deep JSON, malformed JSON and a body that is not JSON with a 4xx problem+json', async () => {
    const deep = await raw(JSON.stringify(anOrder()).replace(/}$/, `,"x":${'['.repeat(3000)}${']'.repeat(3000)}}`));
    expect([deep.status, ((await deep.json()) as { code: string }).code]).toEqual([400, 'VALIDATION_FAILED']);
    const malformed = await raw('{"externalId": ');
    expect([malformed.status, ((await malformed.json()) as { code: string }).code]).toEqual([400, 'BAD_REQUEST']);
    const text = await raw(JSON.stringify(anOrder()), 'text/plain');
    expect([text.status, ((await text.json()) as { code: string }).code]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
  });

  it('refuses 10^30 amounts and a total beyond the column with 422 AMOUNT_OUT_OF_RANGE, and a backorder deadline beyond 90 days with 422 BACKORDER_DEADLINE_TOO_FAR', async () => {
    const huge = anOrder({ lines: [{ sku, quantity: 1e30, unitPrice: 12.5 }] });
    const hugeAnswer = await t.shop.call('POST', '/v1/orders', huge);
    expect([hugeAnswer.status, hugeAnswer.body.code, hugeAnswer.body.errors[0].field]).toEqual([422, 'AMOUNT_OUT_OF_RANGE', 'lines.0.quantity']);
    const overflow = anOrder({ lines: Array.from({ length: 10 }, () => ({ sku, quantity: 1_000_000, unitPrice: 1000 })), payment: { method: 'card', status: 'pending', amount: 0 } });
    const overflowAnswer = await t.shop.call('POST', '/v1/orders', overflow);
    expect([overflowAnswer.status, overflowAnswer.body.code, overflowAnswer.body.errors[0].field]).toEqual([422, 'AMOUNT_OUT_OF_RANGE', 'lines']);

    // This one is the orders service's own rule, passed back by the gateway as it is.
    const far = anOrder({ shortagePolicy: { mode: 'backorder', backorderDeadline: new Date(Date.now() + 91 * 86_400_000).toISOString() } });
    const farAnswer = await t.shop.call('POST', '/v1/orders', far);
    expect([farAnswer.status, farAnswer.body.code, farAnswer.body.maxBackorderDays]).toEqual([422, 'BACKORDER_DEADLINE_TOO_FAR', 90]);
    for (const order of [huge, overflow, far]) expect(await stored(order.externalId)).toBe(0);
  });

  it('holds a paid order whose payment differs from its lines for a reviewer (AMOUNT_MISMATCH, both figures shown); cancelled, it refunds what the lines are worth', async () => {
    const { id } = await t.shop.expect(202, t.shop.post('/v1/orders', anOrder({ payment: { method: 'card', status: 'paid', amount: 100 } })));
    const held = await t.reaches(id, 'on_hold');
    expect(held.review.reasons).toEqual([
      { code: 'AMOUNT_MISMATCH', message: 'paid 100 EUR, but the lines add up to 25 EUR', details: { paymentAmount: '100', linesTotal: '25', currency: 'EUR' } },
    ]);
    const queue = await reviewer.expect(200, reviewer.get('/v1/reviews?status=pending'));
    expect(queue.items.find((item: { id: string }) => item.id === id)).toMatchObject({ reasons: [{ code: 'AMOUNT_MISMATCH', details: { paymentAmount: '100', linesTotal: '25' } }] });

    await t.shop.expect(202, t.cancel(id));
    await t.reaches(id, 'cancelled');
    expect((await hook(id, 'order.refund_requested')).data).toMatchObject({ amount: '25', currency: 'EUR', scope: 'order_cancelled' });

    // An exact payment passes the check.
    const { id: exact } = await t.shop.expect(202, t.shop.post('/v1/orders', anOrder()));
    const reviewed = await waitFor(`review of ${exact}`, async () => (await t.order(exact)).review ?? undefined, 30_000);
    expect(reviewed).toMatchObject({ outcome: 'approved', reasons: [] });
  });
});
