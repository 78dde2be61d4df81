import { OrderPlacedV1, ReviewOrderV1 } from '@skald/contracts';
import { asPlatform, asStaff } from '@skald/testing';
import { aCatalogItem, anOrder, aPlatform } from '../../test/factories.js';
import { OrdersWorld } from '../../test/orders-world.js';

describe('order intake and queries (real PostgreSQL and RabbitMQ)', () => {
  const world = new OrdersWorld();

  beforeAll(() => world.start([OrderPlacedV1, ReviewOrderV1]));
  afterAll(() => world.stop());

  const count = async (table: string, tenantId: string): Promise<number> =>
    Number((await world.sut.dataSource.query(`SELECT count(*) FROM ${table} WHERE tenant_id = $1`, [tenantId]))[0].count);

  it('accepts an order with 202, stores it with its saga, and announces it', async () => {
    const { tenantId } = await world.platform(aPlatform());
    const item = aCatalogItem();
    await world.catalog(item);
    const body = anOrder([{ sku: item.sku, quantity: 2, unitPrice: 10.25 }], { requestedDeliveryDate: '2026-12-24' });
    const res = await world.sut.http().post('/v1/orders').set(asPlatform(tenantId)).send(body);
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), status: 'received', externalId: body.externalId });

    const placed = await world.probe.next(OrderPlacedV1, (p) => p.orderId === res.body.id);
    expect(placed.payload).toMatchObject({ externalId: body.externalId, totalAmount: '20.5', paymentStatus: 'paid', requestedDeliveryDate: '2026-12-24' });
    expect(placed).toMatchObject({ correlationId: res.body.id, tenantId });
    await world.probe.next(ReviewOrderV1, (p) => p.orderId === res.body.id);
    const order = await world.status(tenantId, res.body.id, 'approved');
    expect(order).toMatchObject({
      lines: [{ sku: item.sku, quantity: 2, unitPrice: '10.25' }],
      payment: { method: 'card', status: 'paid', amount: '20.5' },
      requestedDeliveryDate: '2026-12-24',
      customer: body.customer,
    });
  });

  it('answers a bad body with 400 listing the fields, and stores nothing', async () => {
    const { tenantId } = await world.platform(aPlatform());
    const body = {
      ...anOrder([{ sku: 'X', quantity: 0, unitPrice: -1 }]),
      currency: 'euro',
      customer: { id: 'C-1', name: '', email: 'not-an-email' },
      unexpected: true,
    };
    const res = await world.sut.http().post('/v1/orders').set(asPlatform(tenantId)).send(body);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(new Set(res.body.errors.map((e: { field: string }) => e.field))).toEqual(
      new Set(['unexpected', 'customer.name', 'customer.email', 'lines.0.quantity', 'lines.0.unitPrice', 'currency']),
    );
    expect(await count('sales_order', tenantId)).toBe(0);
  });

  it('refuses a second order with the same externalId for the platform, not for another platform', async () => {
    const [a, b] = [await world.platform(aPlatform()), await world.platform(aPlatform())];
    const item = aCatalogItem();
    await world.catalog(item);
    const body = anOrder([{ sku: item.sku, quantity: 1, unitPrice: 10 }]);
    const first = await world.place(a.tenantId, body);
    const again = await world.sut.http().post('/v1/orders').set(asPlatform(a.tenantId)).send(body);
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'ORDER_EXTERNAL_ID_EXISTS', orderId: first });
    expect(await count('sales_order', a.tenantId)).toBe(1);
    await world.place(b.tenantId, body);
  });

  it("keeps platforms apart: another tenant's order is a 404 and lists show only one's own", async () => {
    const [a, b] = [await world.platform(aPlatform()), await world.platform(aPlatform())];
    const item = aCatalogItem();
    await world.catalog(item);
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push(await world.place(a.tenantId, anOrder([{ sku: item.sku, quantity: 1, unitPrice: 10 }], { channel: i === 2 ? 'phone' : 'web' })));
    const theirs = await world.place(b.tenantId, anOrder([{ sku: item.sku, quantity: 1, unitPrice: 10 }]));

    const foreign = await world.sut.http().get(`/v1/orders/${theirs}`).set(asPlatform(a.tenantId));
    expect(foreign.status).toBe(404);
    expect(foreign.body.code).toBe('ORDER_NOT_FOUND');
    expect((await world.sut.http().get(`/v1/orders/${theirs}`).set(asStaff(['ops']))).status).toBe(200);

    const page1 = await world.sut.http().get('/v1/orders?limit=2').set(asPlatform(a.tenantId));
    expect(page1.body.items.map((o: { id: string }) => o.id)).toEqual(ids.slice(0, 2));
    const page2 = await world.sut.http().get(`/v1/orders?limit=2&cursor=${page1.body.nextCursor}`).set(asPlatform(a.tenantId));
    expect(page2.body).toEqual({ items: [expect.objectContaining({ id: ids[2], channel: 'phone' })], nextCursor: null });
    const phone = await world.sut.http().get('/v1/orders?channel=phone').set(asPlatform(a.tenantId));
    expect(phone.body.items.map((o: { id: string }) => o.id)).toEqual([ids[2]]);

    // One customer's orders: the platform's own only; staff see every platform's customer of that id.
    const sameCustomer = anOrder([{ sku: item.sku, quantity: 1, unitPrice: 10 }]);
    const mine = await world.place(a.tenantId, sameCustomer);
    const theirsToo = await world.place(b.tenantId, { ...sameCustomer, externalId: `${sameCustomer.externalId}-b` });
    const byCustomer = (who: Record<string, string>) =>
      world.sut.http().get(`/v1/orders?customerId=${encodeURIComponent(sameCustomer.customer.id)}`).set(who);
    expect((await byCustomer(asPlatform(a.tenantId))).body.items.map((o: { id: string }) => o.id)).toEqual([mine]);
    expect((await byCustomer(asStaff(['ops']))).body.items.map((o: { id: string }) => o.id)).toEqual([mine, theirsToo]);
    expect((await world.sut.http().get('/v1/orders?customerId=a%20b').set(asStaff(['ops']))).status).toBe(400);

    const badCursor = await world.sut.http().get('/v1/orders?cursor=bm9wZQ').set(asPlatform(a.tenantId));
    expect(badCursor.status).toBe(400);
    const staffCannotPlace = await world.sut.http().post('/v1/orders').set(asStaff(['ops'])).send(anOrder([{ sku: item.sku, quantity: 1, unitPrice: 1 }]));
    expect(staffCannotPlace.status).toBe(403);
    const anonymous = await world.sut.http().get('/v1/orders');
    expect(anonymous.status).toBe(401);
  });
});
