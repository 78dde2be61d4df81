import { asPlatform, asStaff } from '@skald/testing';
import { aCatalogItem, anOrder, aPlatform, unique } from '../../test/factories.js';
import { OrdersWorld } from '../../test/orders-world.js';

const fieldsOf = (body: { errors?: Array<{ field: string }> }) => [...new Set((body.errors ?? []).map((error) => error.field))].sort();

describe("a platform's customers' credit routes (real PostgreSQL and RabbitMQ)", () => {
  const world = new OrdersWorld();
  let tenantId: string;

  beforeAll(async () => {
    await world.start([]);
    ({ tenantId } = await world.platform(aPlatform()));
  });
  afterAll(() => world.stop());

  const path = (customerId: string, platformId = tenantId) => `/v1/platforms/${platformId}/customers/${customerId}`;
  const storedCredit = async (customerId: string) =>
    world.sut.dataSource.query(`SELECT credit_limit::text AS "limit", currency FROM customer WHERE tenant_id = $1 AND customer_id = $2`, [tenantId, customerId]);

  it('sets, replaces and shows a limit with its currency, and answers GET of an unknown customer with 404', async () => {
    const customerId = `cust-${unique()}`;
    const before = Date.now();
    const set = await world.sut.http().put(path(customerId)).set(asStaff(['reviewer'])).send({ creditLimit: 1250.5, currency: 'EUR' });
    expect(set.status).toBe(200);
    expect(set.body).toEqual({
      platformId: tenantId,
      customerId,
      creditLimit: '1250.5',
      currency: 'EUR',
      openExposure: '0',
      openOrders: [],
      updatedAt: expect.any(String),
    });
    expect(Date.parse(set.body.updatedAt)).toBeGreaterThanOrEqual(before - 1000);

    const replaced = await world.sut.http().put(path(customerId)).set(asStaff(['admin'])).send({ creditLimit: 99, currency: 'GBP' });
    expect(replaced.body).toMatchObject({ creditLimit: '99', currency: 'GBP' });
    const shown = await world.sut.http().get(path(customerId)).set(asStaff(['reviewer']));
    expect(shown.status).toBe(200);
    expect(shown.body).toEqual(replaced.body);

    const removed = await world.sut.http().put(path(customerId)).set(asStaff(['reviewer'])).send({ creditLimit: null, currency: null });
    expect(removed.body).toMatchObject({ creditLimit: null, currency: null, openExposure: null });
    // No limit and no open unpaid order: nothing to show.
    const gone = await world.sut.http().get(path(customerId)).set(asStaff(['reviewer']));
    expect(gone.status).toBe(404);
    expect(gone.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(gone.body).toMatchObject({ status: 404, code: 'CUSTOMER_NOT_FOUND' });
    const never = await world.sut.http().get(path(`cust-${unique()}`)).set(asStaff(['reviewer']));
    expect(never.body).toMatchObject({ status: 404, code: 'CUSTOMER_NOT_FOUND' });
  });

  it('shows a customer without a limit that has open unpaid orders, with amounts as decimal strings', async () => {
    const item = aCatalogItem({ listPrice: '10' });
    await world.catalog(item);
    const customer = { id: `cust-${unique()}`, name: 'Open Co', email: 'open@example.com' };
    const placedAfter = Date.now();
    const id = await world.place(tenantId, anOrder([{ sku: item.sku, quantity: 3, unitPrice: 10.25 }], { customer, payment: { method: 'invoice', status: 'pending', amount: 30.75 } }));
    await world.place(tenantId, anOrder([{ sku: item.sku, quantity: 1, unitPrice: 10 }], { customer })); // paid: uses no credit

    const credit = await world.sut.http().get(path(customer.id)).set(asStaff(['reviewer']));
    expect(credit.status).toBe(200);
    expect(credit.body).toEqual({
      platformId: tenantId,
      customerId: customer.id,
      creditLimit: null,
      currency: null,
      openExposure: null,
      openOrders: [{ id, amount: '30.75', currency: 'EUR', status: expect.any(String), placedAt: expect.any(String) }],
      updatedAt: null,
    });
    expect(Date.parse(credit.body.openOrders[0].placedAt)).toBeGreaterThanOrEqual(placedAfter - 1000);
  });

  it('answers 404 PLATFORM_NOT_FOUND for a platform the orders service does not know, and stores nothing', async () => {
    const unknown = `tenant-${unique()}`;
    const put = await world.sut.http().put(path('cust-1', unknown)).set(asStaff(['reviewer'])).send({ creditLimit: 10, currency: 'EUR' });
    expect(put.status).toBe(404);
    expect(put.body).toMatchObject({ status: 404, code: 'PLATFORM_NOT_FOUND' });
    const get = await world.sut.http().get(path('cust-1', unknown)).set(asStaff(['reviewer']));
    expect(get.body).toMatchObject({ status: 404, code: 'PLATFORM_NOT_FOUND' });
    expect(await world.sut.dataSource.query(`SELECT 1 FROM customer WHERE tenant_id = $1`, [unknown])).toEqual([]);
  });

  it.each([
    ['a negative limit', 'cust-1', { creditLimit: -5, currency: 'EUR' }, ['creditLimit']],
    ['a limit with 5 decimals', 'cust-1', { creditLimit: 1.00001, currency: 'EUR' }, ['creditLimit']],
    ['a limit as a string', 'cust-1', { creditLimit: '5000', currency: 'EUR' }, ['creditLimit']],
    ['no limit field', 'cust-1', { currency: 'EUR' }, ['creditLimit']],
    ['a limit without currency', 'cust-1', { creditLimit: 5000 }, ['currency']],
    ['a lower-case currency', 'cust-1', { creditLimit: 5000, currency: 'eur' }, ['currency']],
    ['a currency of 4 letters', 'cust-1', { creditLimit: 5000, currency: 'EURO' }, ['currency']],
    ['a bad currency with no limit', 'cust-1', { creditLimit: null, currency: 'euro' }, ['currency']],
    ['an unknown field', 'cust-1', { creditLimit: 1, currency: 'EUR', customer: 'x' }, ['customer']],
    ['a customer id with a space', 'ann%20example', { creditLimit: 1, currency: 'EUR' }, ['customerId']],
  ])('refuses %s with 400 and changes nothing', async (_case, customerId, body, fields) => {
    await world.sut.http().put(path('cust-1')).set(asStaff(['reviewer'])).send({ creditLimit: 7, currency: 'EUR' }).expect(200);

    const res = await world.sut.http().put(path(customerId)).set(asStaff(['reviewer'])).send(body);

    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(fieldsOf(res.body)).toEqual(fields);
    expect(await storedCredit('cust-1')).toEqual([{ limit: '7.0000', currency: 'EUR' }]);
  });

  it('lets only reviewers and admins use the routes', async () => {
    const customerId = `cust-${unique()}`;
    await world.sut.http().put(path(customerId)).set(asStaff(['reviewer'])).send({ creditLimit: 1, currency: 'EUR' }).expect(200);
    for (const caller of [asPlatform(tenantId), asStaff(['ops']), asStaff(['warehouse', 'inventory'])]) {
      const put = await world.sut.http().put(path(customerId)).set(caller).send({ creditLimit: 1000, currency: 'EUR' });
      expect(put.status).toBe(403);
      expect(put.body).toMatchObject({ code: 'FORBIDDEN' });
      expect((await world.sut.http().get(path(customerId)).set(caller)).status).toBe(403);
    }
    expect((await world.sut.http().get(path(customerId))).status).toBe(401);
    expect((await world.sut.http().get(path(customerId)).set(asStaff(['admin']))).body).toMatchObject({ creditLimit: '1', currency: 'EUR' });
  });
});
