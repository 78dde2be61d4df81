import { randomUUID } from 'node:crypto';
import type { StaffRole } from '@skald/service-kit';
import { aPlatform, aStaffKey, anAcceptedOrder, anOrder, bearer, type TestPlatform } from '../../test/factories.js';
import { startGateway, type GatewayUnderTest } from '../../test/gateway-under-test.js';

type Answer = { status: number; headers: Record<string, string>; body: { code?: string; errors?: Array<{ field: string; message: string }> } };

/**
 * Hostile input at the public edge: a clear 4xx problem+json with a stable code, and nothing
 * reaches an owning service. (The services screen the same way, see the orders service's
 * hostile-input spec; the rule lives once, in libs/contracts and libs/service-kit.)
 */
describe('hostile input is a 4xx at the gateway and never reaches a service (gateway with fake upstreams)', () => {
  let gw: GatewayUnderTest;
  let platform: TestPlatform;
  const upstreamCalls = () => gw.orders.received.length + gw.inventory.received.length + gw.warehouse.received.length + gw.returns.received.length;

  beforeAll(async () => {
    gw = await startGateway();
    platform = await aPlatform(gw.sut.dataSource);
    gw.orders.respondWith((request) => ({ status: 202, body: anAcceptedOrder(JSON.parse(request.body || '{}').externalId) }));
  });

  afterAll(async () => {
    await gw?.close();
  });

  const placeOrder = (body: unknown) => gw.sut.http().post('/v1/orders').set(bearer(platform.key)).send(body as object);
  const placeRaw = (text: string, contentType = 'application/json') =>
    gw.sut.http().post('/v1/orders').set(bearer(platform.key)).set('content-type', contentType).send(text);

  async function refused(request: () => Promise<Answer>, status: number, code: string, field?: string): Promise<Answer> {
    const before = upstreamCalls();
    const res = await request();
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.code).toBe(code);
    if (field !== undefined) expect((res.body.errors ?? []).map((error) => error.field)).toContain(field);
    expect(upstreamCalls()).toBe(before);
    return res;
  }

  describe('control characters and lone surrogates: 400 VALIDATION_FAILED naming the field', () => {
    const order = anOrder();
    const customer = order.customer as Record<string, unknown>;
    const address = order.shippingAddress as Record<string, unknown>;

    it.each([
      ['NUL in a name', { customer: { ...customer, name: 'Ada\u0000' } }, 'customer.name'],
      ['NUL in an address line', { shippingAddress: { ...address, line1: '12\u0000Analytical Row' } }, 'shippingAddress.line1'],
      ['NUL in an identifier', { externalId: 'web-\u00001' }, 'externalId'],
      ['NUL in a SKU', { lines: [{ sku: 'TEA\u0000', quantity: 1, unitPrice: 1 }] }, 'lines.0.sku'],
      ['a BEL (C0) in a city', { shippingAddress: { ...address, city: 'London\u0007' } }, 'shippingAddress.city'],
      ['a CSI (C1) in a name', { customer: { ...customer, name: '\u009b31mAda' } }, 'customer.name'],
      ['a NUL in an unknown field', { coupon: 'FREE\u0000' }, 'coupon'],
    ])('%s in an order', async (_label, change, field) => {
      await refused(() => placeOrder({ ...anOrder(), ...change }), 400, 'VALIDATION_FAILED', field);
    });

    it('a lone surrogate in an order', async () => {
      const text = JSON.stringify(anOrder()).replace('"name":"Ada Lovelace"', '"name":"Ada \\udfffLovelace"');
      const res = await refused(() => placeRaw(text), 400, 'VALIDATION_FAILED', 'customer.name');
      expect(res.body.errors?.[0].message).toMatch(/lone surrogate/);
    });

    const id = randomUUID();
    const staffCases: Array<[string, StaffRole, 'GET' | 'POST', string, unknown, string]> = [
      ['NUL in a cancellation reason (free text)', 'ops', 'POST', `/v1/orders/${id}/cancel`, { reason: 'changed\u0000mind' }, 'reason'],
      ['ESC in a review reason (free text)', 'reviewer', 'POST', `/v1/orders/${id}/review`, { decision: 'approve', reason: '\u001b[2Jok' }, 'reason'],
      ['NUL in a query parameter', 'warehouse', 'GET', '/v1/outbound-notes?status=open%00', undefined, 'status'],
      ['NUL in a path parameter', 'inventory', 'GET', '/v1/stock/TEA%00', undefined, 'sku'],
      ['a C1 control in a path parameter', 'inventory', 'GET', '/v1/stock/TEA%C2%85/ledger', undefined, 'sku'],
    ];
    it.each(staffCases)('%s', async (_label, role, method, path, body, field) => {
      const { key } = await aStaffKey(gw.sut.dataSource, [role]);
      const request = method === 'GET' ? gw.sut.http().get(path) : gw.sut.http().post(path);
      await refused(() => request.set(bearer(key)).send(body as object), 400, 'VALIDATION_FAILED', field);
    });

    it('TAB, LF and CR in free text pass and are forwarded as they are', async () => {
      const body = anOrder({ shippingAddress: { ...address, line2: 'Flat 3\r\n\tBack entrance — 東京 😀' } });
      const res = await placeOrder(body);
      expect(res.status).toBe(202);
      const [forwarded] = gw.orders.received.filter((r) => r.body.includes(String(body.externalId)));
      expect(JSON.parse(forwarded.body)).toEqual(body);
    });
  });

  describe('shape of the body', () => {
    it('JSON nested thousands of levels deep: 400 before anything walks it (the idempotency hash included)', async () => {
      const deep = JSON.stringify(anOrder()).replace(/}$/, `,"x":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`);
      const before = upstreamCalls();
      const res = await gw.sut.http().post('/v1/orders').set(bearer(platform.key)).set('idempotency-key', randomUUID()).set('content-type', 'application/json').send(deep);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ message: expect.stringMatching(/nests deeper than 32 levels/) }] });
      expect(upstreamCalls()).toBe(before);
    });

    it('33 levels are refused, wherever they are', async () => {
      const nested = (levels: number): unknown => (levels === 0 ? 1 : { a: nested(levels - 1) });
      const res = await refused(() => placeOrder({ ...anOrder(), customer: { ...(anOrder().customer as object), x: nested(31) } }), 400, 'VALIDATION_FAILED');
      expect(res.body.errors).toEqual([{ field: expect.stringMatching(/^customer\.x(\.a)+$/), message: expect.stringMatching(/nests deeper than 32 levels/) }]);
    });

    it('malformed JSON: 400 problem+json', async () => {
      await refused(() => placeRaw('{"externalId": "web-1",'), 400, 'BAD_REQUEST');
    });

    it('a body that is not JSON: 415 UNSUPPORTED_MEDIA_TYPE', async () => {
      await refused(() => placeRaw(JSON.stringify(anOrder()), 'text/plain'), 415, 'UNSUPPORTED_MEDIA_TYPE');
    });

    it('too-long strings: 400; a body over the size limit: 413 problem+json', async () => {
      await refused(() => placeOrder(anOrder({ customer: { id: 'cust-1', name: 'A'.repeat(201), email: 'ada@example.org' } })), 400, 'VALIDATION_FAILED', 'customer.name');
      await refused(() => placeOrder({ ...anOrder(), pad: 'x'.repeat(2_000_000) }), 413, 'PAYLOAD_TOO_LARGE');
    });
  });

  it('amounts in more decimals than the currency has: 400 (12.505 EUR, 100.5 JPY)', async () => {
    const cents = await refused(() => placeOrder(anOrder({ lines: [{ sku: 'TEA-1', quantity: 1, unitPrice: 12.505 }] })), 400, 'VALIDATION_FAILED', 'lines');
    expect(cents.body.errors?.map((error) => error.message)).toContain('lines.0.unitPrice must have at most 2 decimals in EUR');
    const yen = await refused(
      () => placeOrder(anOrder({ currency: 'JPY', lines: [{ sku: 'TEA-1', quantity: 1, unitPrice: 100 }], payment: { method: 'card', status: 'paid', amount: 100.5 } })),
      400,
      'VALIDATION_FAILED',
      'payment',
    );
    expect(yen.body.errors?.map((error) => error.message)).toContain('payment.amount must have at most 0 decimals in JPY');
  });

  describe('quantities, prices and totals out of range: 422 AMOUNT_OUT_OF_RANGE naming the field', () => {
    it.each([
      ['a 10^30 quantity', { lines: [{ sku: 'TEA-1', quantity: 1e30, unitPrice: 1 }] }, 'lines.0.quantity'],
      ['a 10^30 unit price', { lines: [{ sku: 'TEA-1', quantity: 1, unitPrice: 1e30 }] }, 'lines.0.unitPrice'],
      ['a unit price above 1,000,000,000', { lines: [{ sku: 'TEA-1', quantity: 1, unitPrice: 1_000_000_001 }] }, 'lines.0.unitPrice'],
      ['a 10^30 payment', { payment: { method: 'card', status: 'paid', amount: 1e30 } }, 'payment.amount'],
      ['a total beyond the column although each line fits', { lines: Array.from({ length: 10 }, (_, i) => ({ sku: `TEA-${i}`, quantity: 1_000_000, unitPrice: 1000 })) }, 'lines'],
    ])('%s', async (_label, change, field) => {
      await refused(() => placeOrder({ ...anOrder(), ...change }), 422, 'AMOUNT_OUT_OF_RANGE', field);
    });

    it('a total just within the column is forwarded', async () => {
      const res = await placeOrder(anOrder({ lines: Array.from({ length: 10 }, (_, i) => ({ sku: `TEA-${i}`, quantity: 1_000_000, unitPrice: 999.99 })) }));
      expect(res.status).toBe(202);
    });

    it('a modification whose lines overflow the total; a 10^30 credit limit, receipt quantity, low-stock threshold and list price', async () => {
      const { key } = await aStaffKey(gw.sut.dataSource, ['admin']);
      const lines = Array.from({ length: 10 }, () => ({ sku: 'TEA-1', quantity: 1_000_000, unitPrice: 1000 }));
      await refused(() => gw.sut.http().patch(`/v1/orders/${randomUUID()}`).set(bearer(key)).send({ lines }), 422, 'AMOUNT_OUT_OF_RANGE', 'lines');
      await refused(() => gw.sut.http().put(`/v1/platforms/${randomUUID()}/customers/cust-1`).set(bearer(key)).send({ creditLimit: 1e30, currency: 'EUR' }), 422, 'AMOUNT_OUT_OF_RANGE', 'creditLimit');
      await refused(() => gw.sut.http().post('/v1/stock/receipts').set(bearer(key)).send({ warehouse: 'LON-1', lines: [{ sku: 'TEA-1', quantity: 1e30 }] }), 422, 'AMOUNT_OUT_OF_RANGE', 'lines.0.quantity');
      await refused(
        () => gw.sut.http().put('/v1/stock/TEA-1/warehouses/LON-1/low-stock-threshold').set(bearer(key)).send({ threshold: 1e30 }),
        422,
        'AMOUNT_OUT_OF_RANGE',
        'threshold',
      );
      await refused(
        () => gw.sut.http().put('/v1/catalog/TEA-1').set(bearer(key)).send({ name: 'Tea', listPrice: 1e30, currency: 'EUR', sellable: true, returnable: true }),
        422,
        'AMOUNT_OUT_OF_RANGE',
        'listPrice',
      );
    });
  });
});
