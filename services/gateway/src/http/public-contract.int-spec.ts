import { randomUUID } from 'node:crypto';
import type { StaffRole } from '@skald/service-kit';
import { aPlatform, aStaffKey, anAcceptedOrder, anOrder, bearer, type TestPlatform } from '../../test/factories.js';
import { startGateway, type GatewayUnderTest } from '../../test/gateway-under-test.js';

const fieldsOf = (body: { errors?: Array<{ field: string }> }) => new Set((body.errors ?? []).map((error) => error.field));

describe('the public contract: bad input is refused with 400 and never reaches a service (gateway with fake upstreams)', () => {
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

  it('lists every bad field of an order', async () => {
    const before = upstreamCalls();
    const res = await gw.sut
      .http()
      .post('/v1/orders')
      .set(bearer(platform.key))
      .send({
        ...anOrder(),
        externalId: '',
        channel: 'Web Shop',
        customer: { id: 'c-1', name: 'Ada', email: 'not-an-email' },
        lines: [
          { sku: 'TEA-1', quantity: 0, unitPrice: 1 },
          { sku: 'TEA 2', quantity: 1.5, unitPrice: 1.23456 },
          { sku: 'TEA-3', quantity: 1, unitPrice: '12.50' },
        ],
        currency: 'EURO',
        shippingAddress: { line1: '1 Road', city: 'Paris', postalCode: '75001', country: 'fr' },
        payment: { method: 'card', status: 'refunded', amount: -1 },
        requestedDeliveryDate: '24/12/2026',
        coupon: 'FREE',
      });

    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', instance: '/v1/orders' });
    expect(fieldsOf(res.body)).toEqual(
      new Set([
        'externalId',
        'channel',
        'customer.email',
        'lines.0.quantity',
        'lines.1.sku',
        'lines.1.quantity',
        'lines.1.unitPrice',
        'lines.2.unitPrice',
        'currency',
        'shippingAddress.country',
        'payment.status',
        'payment.amount',
        'requestedDeliveryDate',
        'coupon',
      ]),
    );
    expect(upstreamCalls()).toBe(before);
  });

  it.each([
    ['no body at all', undefined, ['externalId', 'channel', 'customer', 'lines', 'currency', 'shippingAddress', 'payment']],
    ['no lines', { lines: [] }, ['lines']],
    ['201 lines', { lines: Array.from({ length: 201 }, (_, i) => ({ sku: `SKU-${i}`, quantity: 1, unitPrice: 1 })) }, ['lines']],
    ['a customer that is not an object', { customer: 'ada' }, ['customer']],
    ['an unknown currency', { currency: 'XYZ' }, ['currency']],
    ['an unknown country', { shippingAddress: { line1: 'a', city: 'b', postalCode: 'c', country: 'ZZ' } }, ['shippingAddress.country']],
    [
      'a malformed recipient (empty name, a phone that is not one, a company of 201 characters)',
      { shippingAddress: { line1: 'a', city: 'b', postalCode: 'c', country: 'GB', name: '', phone: 'ask the porter', company: 'x'.repeat(201) } },
      ['shippingAddress.name', 'shippingAddress.phone', 'shippingAddress.company'],
    ],
  ])('refuses an order with %s', async (_case, change, fields) => {
    const before = upstreamCalls();
    const body = change === undefined ? undefined : { ...anOrder(), ...change };
    const res = await gw.sut.http().post('/v1/orders').set(bearer(platform.key)).send(body);

    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect([...fieldsOf(res.body)].sort()).toEqual([...fields].sort());
    expect(upstreamCalls()).toBe(before);
  });

  it('accepts a minimal order (no optional fields) and forwards it as it is', async () => {
    const { requestedDeliveryDate: _date, ...order } = anOrder({
      lines: [{ sku: 'TEA-1', quantity: 1, unitPrice: 0 }],
      payment: { method: 'invoice', status: 'pending', amount: 0.01 },
    });

    const res = await gw.sut.http().post('/v1/orders').set(bearer(platform.key)).send(order);

    expect(res.status).toBe(202);
    const [forwarded] = gw.orders.received.filter((r) => r.body.includes(String(order.externalId)));
    expect(JSON.parse(forwarded.body)).toEqual(order);
  });

  it('forwards a gift: the shipping address with its own recipient (name, phone, company)', async () => {
    const shippingAddress = { line1: '1 Rue de Rivoli', city: 'Paris', postalCode: '75001', country: 'FR', name: 'Grace Hopper', phone: '+33 1 23 45 67 89', company: 'Navy Labs' };
    const order = anOrder({ shippingAddress });

    const res = await gw.sut.http().post('/v1/orders').set(bearer(platform.key)).send(order);

    expect(res.status).toBe(202);
    const [forwarded] = gw.orders.received.filter((r) => r.body.includes(String(order.externalId)));
    expect(JSON.parse(forwarded.body).shippingAddress).toEqual(shippingAddress);
  });

  const id = randomUUID();
  const staffCases: Array<[string, StaffRole, string, string, unknown, string[]]> = [
    ['a review without a reason', 'reviewer', 'POST', `/v1/orders/${id}/review`, { decision: 'approve' }, ['reason']],
    ['a review with an unknown decision', 'reviewer', 'POST', `/v1/orders/${id}/review`, { decision: 'maybe', reason: 'x' }, ['decision']],
    ['a negative credit limit', 'reviewer', 'PUT', `/v1/platforms/${id}/customers/c-1`, { creditLimit: -5, currency: 'EUR' }, ['creditLimit']],
    ['a credit limit with 5 decimals', 'reviewer', 'PUT', `/v1/platforms/${id}/customers/c-1`, { creditLimit: 1.00001, currency: 'EUR' }, ['creditLimit']],
    ['a credit limit as a string', 'reviewer', 'PUT', `/v1/platforms/${id}/customers/c-1`, { creditLimit: '5000', currency: 'EUR' }, ['creditLimit']],
    ['a credit limit without currency', 'reviewer', 'PUT', `/v1/platforms/${id}/customers/c-1`, { creditLimit: 5000 }, ['currency']],
    ['a credit limit in an unknown currency', 'reviewer', 'PUT', `/v1/platforms/${id}/customers/c-1`, { creditLimit: 5000, currency: 'XYZ' }, ['currency']],
    ['a credit limit in a lower-case currency', 'admin', 'PUT', `/v1/platforms/${id}/customers/c-1`, { creditLimit: 5000, currency: 'eur' }, ['currency']],
    ['no credit limit field', 'reviewer', 'PUT', `/v1/platforms/${id}/customers/c-1`, { currency: 'EUR' }, ['creditLimit']],
    ['a platform id that is not a UUID', 'reviewer', 'PUT', '/v1/platforms/shop-1/customers/c-1', { creditLimit: 1, currency: 'EUR' }, ['platformId']],
    ['a platform id that is not a UUID (GET)', 'reviewer', 'GET', '/v1/platforms/shop-1/customers/c-1', undefined, ['platformId']],
    ['an order id that is not a UUID', 'ops', 'GET', '/v1/orders/web-1', undefined, ['id']],
    ['an outbound note id that is not a UUID', 'warehouse', 'POST', '/v1/outbound-notes/N-1/confirm', undefined, ['id']],
    ['a customer id with a space', 'reviewer', 'PUT', `/v1/platforms/${id}/customers/ann%20example`, { creditLimit: 1, currency: 'EUR' }, ['customerId']],
    ['a customer id with a space (GET)', 'reviewer', 'GET', `/v1/platforms/${id}/customers/ann%20example`, undefined, ['customerId']],
    ['a ledger page size above 200', 'inventory', 'GET', '/v1/stock/TEA-1/ledger?limit=201', undefined, ['limit']],
    ['a catalog item missing its flags', 'inventory', 'PUT', `/v1/catalog/SKU-${id}`, { name: 'Tea', listPrice: 1, currency: 'EUR' }, ['sellable', 'returnable']],
    ['a warehouse with a negative priority', 'inventory', 'PUT', `/v1/warehouses/W-${id}`, { priority: -1 }, ['priority']],
    ['a receipt without lines', 'inventory', 'POST', '/v1/stock/receipts', { warehouse: 'LON-1', lines: [] }, ['lines']],
    ['a receipt line without quantity', 'warehouse', 'POST', '/v1/stock/receipts', { warehouse: 'LON-1', lines: [{ sku: 'A' }] }, ['lines.0.quantity']],
    ['a shipment without tracking number', 'warehouse', 'POST', `/v1/outbound-notes/${id}/ship`, { carrier: 'DHL' }, ['trackingNumber']],
    ['a delivery with a bad date', 'ops', 'POST', `/v1/shipments/${id}/delivered`, { deliveredAt: 'yesterday' }, ['deliveredAt']],
    ['a delivery time without time zone', 'ops', 'POST', `/v1/shipments/${id}/delivered`, { deliveredAt: '2026-11-23T10:15:00' }, ['deliveredAt']],
    ['a SKU with a space in the path', 'inventory', 'GET', '/v1/stock/TEA%201', undefined, ['sku']],
    ['an outbound-notes filter that is not a word', 'warehouse', 'GET', '/v1/outbound-notes?status=Not%20A%20Word', undefined, ['status']],
    ['an outbound-notes externalId with a space', 'warehouse', 'GET', '/v1/outbound-notes?externalId=SHOP%201', undefined, ['externalId']],
    ['a review-queue filter other than pending', 'reviewer', 'GET', '/v1/reviews?status=approved', undefined, ['status']],
  ];

  it.each(staffCases)('refuses %s', async (_case, role, method, path, body, fields) => {
    const { key } = await aStaffKey(gw.sut.dataSource, [role]);
    const before = upstreamCalls();
    const request = method === 'GET' ? gw.sut.http().get(path) : method === 'PUT' ? gw.sut.http().put(path) : gw.sut.http().post(path);

    const res = await request.set(bearer(key)).send(body as object);

    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect([...fieldsOf(res.body)].sort()).toEqual([...fields].sort());
    expect(upstreamCalls()).toBe(before);
  });

  it("lets only reviewers and admins set and read a platform's customer's credit (a platform key gets 403), replaying a PUT's Idempotency-Key", async () => {
    gw.orders.respondWith(() => ({ status: 200, body: { creditLimit: '10', currency: 'EUR' } }));
    const path = `/v1/platforms/${platform.tenantId}/customers/cust-${randomUUID().slice(0, 8)}`;
    const credit = { creditLimit: 10, currency: 'EUR' };
    const refused: StaffRole[][] = [['ops'], ['warehouse', 'inventory']];
    const before = upstreamCalls();
    for (const key of [platform.key, ...(await Promise.all(refused.map(async (roles) => (await aStaffKey(gw.sut.dataSource, roles)).key)))]) {
      const put = await gw.sut.http().put(path).set(bearer(key)).send(credit);
      expect(put.status).toBe(403);
      expect(put.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(put.body).toMatchObject({ status: 403, code: 'FORBIDDEN' });
      expect((await gw.sut.http().get(path).set(bearer(key))).status).toBe(403);
    }
    expect(upstreamCalls()).toBe(before);

    const reviewer = await aStaffKey(gw.sut.dataSource, ['reviewer']);
    const idempotencyKey = randomUUID();
    const first = await gw.sut.http().put(path).set(bearer(reviewer.key)).set('Idempotency-Key', idempotencyKey).send(credit);
    const again = await gw.sut.http().put(path).set(bearer(reviewer.key)).set('Idempotency-Key', idempotencyKey).send(credit);
    expect([first.status, again.status]).toEqual([200, 200]);
    expect(again.headers['idempotent-replayed']).toBe('true');
    const admin = await aStaffKey(gw.sut.dataSource, ['admin']);
    expect((await gw.sut.http().get(path).set(bearer(admin.key))).status).toBe(200);
    expect(gw.orders.requestsTo(path).map((r) => `${r.method} ${r.headers['x-skald-roles']}`)).toEqual(['PUT reviewer', 'GET admin']);
  });

  it('forwards valid staff commands with their bodies and checked queries', async () => {
    const { key } = await aStaffKey(gw.sut.dataSource, ['admin']);
    gw.orders.respondWith(() => ({ status: 200, body: { ok: true } }));
    gw.inventory.respondWith(() => ({ status: 200, body: { ok: true } }));
    gw.warehouse.respondWith(() => ({ status: 200, body: { ok: true } }));
    const sku = `SKU-${randomUUID().slice(0, 8)}`;
    const [noteId, shipmentId, orderId] = [randomUUID(), randomUUID(), randomUUID()];

    const answers = await Promise.all([
      gw.sut.http().put(`/v1/platforms/${platform.tenantId}/customers/cust-${sku}`).set(bearer(key)).send({ creditLimit: 5000.5, currency: 'EUR' }),
      gw.sut.http().get(`/v1/platforms/${platform.tenantId}/customers/cust-${sku}`).set(bearer(key)),
      gw.sut.http().put(`/v1/catalog/${sku}`).set(bearer(key)).send({ name: 'Tea', listPrice: '12.50', currency: 'EUR', sellable: true, returnable: false }),
      gw.sut.http().put(`/v1/warehouses/W-${sku}`).set(bearer(key)).send({ priority: 2 }),
      gw.sut.http().post(`/v1/outbound-notes/${noteId}/confirm`).set(bearer(key)),
      gw.sut.http().post(`/v1/outbound-notes/${noteId}/ship`).set(bearer(key)).send({ carrier: 'DHL', trackingNumber: 'JD1' }),
      gw.sut.http().post(`/v1/shipments/${shipmentId}/delivered`).set(bearer(key)).send({ deliveredAt: '2026-11-23T10:15:00+01:00' }),
      gw.sut.http().get(`/v1/outbound-notes?status=picking&warehouse=LON-1&orderId=${orderId}&limit=50`).set(bearer(key)),
      gw.sut.http().get(`/v1/stock/${sku}/ledger?limit=10&cursor=abc`).set(bearer(key)),
      gw.sut.http().get(`/v1/outbound-notes?externalId=web-${sku}`).set(bearer(key)),
    ]);

    expect(answers.map((res) => res.status)).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 200]);
    expect(gw.warehouse.requestsTo('/v1/outbound-notes?externalId').map((r) => r.url)).toEqual([`/v1/outbound-notes?externalId=web-${sku}`]);
    expect(gw.orders.requestsTo(`/v1/platforms/${platform.tenantId}/customers/cust-${sku}`).map((r) => `${r.method} ${r.body}`)).toEqual(
      expect.arrayContaining(['PUT {"creditLimit":5000.5,"currency":"EUR"}', 'GET ']),
    );
    expect(gw.inventory.requestsTo(`/v1/catalog/${sku}`).map((r) => JSON.parse(r.body).listPrice)).toEqual(['12.50']);
    expect(gw.inventory.requestsTo(`/v1/warehouses/W-${sku}`)).toHaveLength(1);
    expect(gw.warehouse.requestsTo(`/v1/outbound-notes/${noteId}/`).map((r) => `${r.url} ${r.body}`)).toEqual(
      expect.arrayContaining([`/v1/outbound-notes/${noteId}/confirm `, `/v1/outbound-notes/${noteId}/ship {"carrier":"DHL","trackingNumber":"JD1"}`]),
    );
    expect(gw.warehouse.requestsTo(`/v1/shipments/${shipmentId}/delivered`)).toHaveLength(1);
    expect(gw.warehouse.requestsTo('/v1/outbound-notes?').map((r) => r.url)).toContain(`/v1/outbound-notes?status=picking&warehouse=LON-1&orderId=${orderId}&limit=50`);
    expect(gw.inventory.requestsTo(`/v1/stock/${sku}/ledger`).map((r) => r.url)).toEqual([`/v1/stock/${sku}/ledger?limit=10&cursor=abc`]);
  });
});
