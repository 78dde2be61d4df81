import { asPlatform } from '@skald/testing';
import { aCatalogItem, anOrder, aPlatform, type OrderBody } from '../../test/factories.js';
import { OrdersWorld } from '../../test/orders-world.js';

const DAY = 86_400_000;

/**
 * Hostile input at the orders service itself (a caller inside the network, or one that got past
 * the gateway): every case is a 4xx problem+json with a stable code, and nothing is stored. Each
 * of these answered 500 before (NUL and lone surrogates failed at PostgreSQL, totals overflowed
 * numeric(14,4), 1e-7 threw inside class-validator).
 */
describe('hostile input at the orders service (real PostgreSQL and RabbitMQ)', () => {
  const world = new OrdersWorld();
  let tenantId: string;
  let sku: string;

  beforeAll(async () => {
    await world.start([]);
    tenantId = (await world.platform(aPlatform())).tenantId;
    const item = aCatalogItem();
    await world.catalog(item);
    sku = item.sku;
  });
  afterAll(() => world.stop());

  const orderCount = async (): Promise<number> =>
    Number((await world.sut.dataSource.query(`SELECT count(*) FROM sales_order WHERE tenant_id = $1`, [tenantId]))[0].count);
  const post = (body: object) => world.sut.http().post('/v1/orders').set(asPlatform(tenantId)).send(body);
  const postRaw = (text: string, contentType = 'application/json') =>
    world.sut.http().post('/v1/orders').set(asPlatform(tenantId)).set('content-type', contentType).send(text);
  const order = (overrides: Partial<OrderBody> = {}) => anOrder([{ sku, quantity: 2, unitPrice: 10 }], overrides);

  async function expectProblem(res: { status: number; headers: Record<string, string>; body: Record<string, unknown> }, status: number, code: string, field?: string) {
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status, code });
    if (field !== undefined) expect((res.body.errors as Array<{ field: string }>).map((error) => error.field)).toContain(field);
  }

  describe('control characters and lone surrogates: 400 VALIDATION_FAILED naming the field', () => {
    it.each([
      ['NUL in a name', (o: OrderBody) => ({ ...o, customer: { ...o.customer, name: 'Ann\u0000Example' } }), 'customer.name'],
      ['NUL in an address line', (o: OrderBody) => ({ ...o, shippingAddress: { ...o.shippingAddress, line1: 'Main\u0000Street 1' } }), 'shippingAddress.line1'],
      ['NUL in an identifier', (o: OrderBody) => ({ ...o, externalId: 'EXT\u00001' }), 'externalId'],
      ['NUL in a SKU', (o: OrderBody) => ({ ...o, lines: [{ sku: `${sku}\u0000`, quantity: 1, unitPrice: 10 }] }), 'lines.0.sku'],
      ['NUL in an e-mail', (o: OrderBody) => ({ ...o, customer: { ...o.customer, email: 'ann\u0000@example.com' } }), 'customer.email'],
      ['ESC (a C0 control)', (o: OrderBody) => ({ ...o, customer: { ...o.customer, name: '\u001b[31mAnn' } }), 'customer.name'],
      ['DEL', (o: OrderBody) => ({ ...o, shippingAddress: { ...o.shippingAddress, city: 'Ghent\u007f' } }), 'shippingAddress.city'],
      ['NEL (a C1 control)', (o: OrderBody) => ({ ...o, shippingAddress: { ...o.shippingAddress, city: 'Ghent\u0085' } }), 'shippingAddress.city'],
      ['a control character in a property name', (o: OrderBody) => ({ ...o, customer: { ...o.customer, 'x\u0000': 1 } }), 'customer'],
    ])('%s', async (_label, hostile, field) => {
      const before = await orderCount();
      await expectProblem(await post(hostile(order())), 400, 'VALIDATION_FAILED', field);
      expect(await orderCount()).toBe(before);
    });

    it('a lone surrogate (it reaches PostgreSQL as invalid jsonb)', async () => {
      // JSON.stringify would escape it the same way; written out to show what goes on the wire.
      const before = await orderCount();
      const text = JSON.stringify(order()).replace('"name":"Ann Example"', '"name":"Ann \\ud800Example"');
      await expectProblem(await postRaw(text), 400, 'VALIDATION_FAILED', 'customer.name');
      expect(await orderCount()).toBe(before);
    });

    it('in a query parameter and in a path parameter', async () => {
      await expectProblem(await world.sut.http().get('/v1/orders?channel=we%00b').set(asPlatform(tenantId)), 400, 'VALIDATION_FAILED', 'channel');
      await expectProblem(await world.sut.http().get('/v1/orders/abc%00').set(asPlatform(tenantId)), 400, 'VALIDATION_FAILED', 'id');
    });

    it('TAB, LF and CR and any printable Unicode are text, not hostile', async () => {
      const res = await post(order({ shippingAddress: { line1: 'Rue de l’Église 3\r\n\tBâtiment B', city: 'Liège 東京 😀', postalCode: '4000', country: 'BE' } }));
      expect(res.status).toBe(202);
    });
  });

  describe('shape of the body', () => {
    it('JSON nested a few thousand levels deep: 400, before anything walks it', async () => {
      const deep = JSON.stringify(order()).replace(/}$/, `,"x":${'['.repeat(5000)}${']'.repeat(5000)}}`);
      const res = await postRaw(deep);
      await expectProblem(res, 400, 'VALIDATION_FAILED');
      expect((res.body.errors as Array<{ message: string }>)[0].message).toMatch(/nests deeper than 32 levels/);
    });

    it('malformed JSON: 400 problem+json', async () => {
      await expectProblem(await postRaw('{"externalId": "EXT-1", '), 400, 'BAD_REQUEST');
    });

    it('a body that is not JSON: 415', async () => {
      await expectProblem(await postRaw(JSON.stringify(order()), 'text/plain'), 415, 'UNSUPPORTED_MEDIA_TYPE');
      await expectProblem(await postRaw('externalId=EXT-1', 'application/x-www-form-urlencoded'), 415, 'UNSUPPORTED_MEDIA_TYPE');
    });

    it('too-long strings: 400 naming the field; a body over the size limit: 413', async () => {
      await expectProblem(await post(order({ customer: { id: 'C-1', name: 'A'.repeat(201), email: 'ann@example.com' } })), 400, 'VALIDATION_FAILED', 'customer.name');
      await expectProblem(await post({ ...order(), pad: 'x'.repeat(2_000_000) }), 413, 'PAYLOAD_TOO_LARGE');
    });

    it('a number in exponent notation with too many decimals (1e-7): 400, not a crash', async () => {
      await expectProblem(await post(anOrder([{ sku, quantity: 1, unitPrice: 1e-7 }])), 400, 'VALIDATION_FAILED', 'lines.0.unitPrice');
    });
  });

  describe('quantities, prices and totals: 422 AMOUNT_OUT_OF_RANGE naming the field', () => {
    it.each([
      ['a 10^30 quantity', [{ quantity: 1e30, unitPrice: 1 }], 'lines.0.quantity'],
      ['a 10^30 unit price', [{ quantity: 1, unitPrice: 1e30 }], 'lines.0.unitPrice'],
      ['a unit price above 1,000,000,000', [{ quantity: 1, unitPrice: 1_000_000_001 }], 'lines.0.unitPrice'],
    ])('%s', async (_label, lines, field) => {
      const res = await post(anOrder(lines.map((line) => ({ sku, ...line })), { payment: { method: 'card', status: 'pending', amount: 0 } }));
      await expectProblem(res, 422, 'AMOUNT_OUT_OF_RANGE', field);
    });

    it('a 10^30 payment amount', async () => {
      await expectProblem(await post(order({ payment: { method: 'card', status: 'paid', amount: 1e30 } })), 422, 'AMOUNT_OUT_OF_RANGE', 'payment.amount');
    });

    it('a total that overflows the column although every line fits; a total just within it is stored', async () => {
      const before = await orderCount();
      const line = { sku, quantity: 1_000_000, unitPrice: 1000 };
      const over = await post(anOrder(Array.from({ length: 10 }, () => line), { payment: { method: 'card', status: 'pending', amount: 0 } }));
      await expectProblem(over, 422, 'AMOUNT_OUT_OF_RANGE', 'lines');
      expect(await orderCount()).toBe(before);

      const within = anOrder(Array.from({ length: 10 }, () => ({ ...line, unitPrice: 999.99 })), { payment: { method: 'card', status: 'pending', amount: 0 } });
      const accepted = await post(within);
      expect(accepted.status).toBe(202);
      expect((await world.order(tenantId, accepted.body.id)).totalAmount).toBe('9999900000');
    });

    it('a modification whose lines overflow the total', async () => {
      const id = await world.place(tenantId, order({ payment: { method: 'card', status: 'pending', amount: 0 } }));
      const res = await world.sut
        .http()
        .patch(`/v1/orders/${id}`)
        .set(asPlatform(tenantId))
        .send({ lines: Array.from({ length: 10 }, () => ({ sku, quantity: 1_000_000, unitPrice: 1000 })) });
      await expectProblem(res, 422, 'AMOUNT_OUT_OF_RANGE', 'lines');
      expect((await world.order(tenantId, id)).totalAmount).toBe('20');
    });

    it('a bound that fails beside a malformed field is a 400 listing both', async () => {
      const res = await post(order({ channel: 'Web Shop', lines: [{ sku, quantity: 1e30, unitPrice: 1 }] }));
      await expectProblem(res, 400, 'VALIDATION_FAILED', 'lines.0.quantity');
      expect((res.body.errors as Array<{ field: string }>).map((error) => error.field)).toContain('channel');
    });
  });

  describe('amounts in whole minor units of the currency: 400 VALIDATION_FAILED', () => {
    it('a unit price of 12.505 EUR, a payment of 100.5 JPY; 12.5 EUR and 100 JPY pass', async () => {
      const before = await orderCount();
      const cents = await post(anOrder([{ sku, quantity: 1, unitPrice: 12.505 }], { payment: { method: 'card', status: 'pending', amount: 0 } }));
      await expectProblem(cents, 400, 'VALIDATION_FAILED', 'lines');
      expect((cents.body.errors as Array<{ message: string }>)[0].message).toBe('lines.0.unitPrice must have at most 2 decimals in EUR');
      const yen = await post(anOrder([{ sku, quantity: 1, unitPrice: 100 }], { currency: 'JPY', payment: { method: 'card', status: 'paid', amount: 100.5 } }));
      await expectProblem(yen, 400, 'VALIDATION_FAILED', 'payment');
      expect((yen.body.errors as Array<{ message: string }>)[0].message).toBe('payment.amount must have at most 0 decimals in JPY');
      expect(await orderCount()).toBe(before);
      expect((await post(anOrder([{ sku, quantity: 1, unitPrice: 100 }], { currency: 'JPY', payment: { method: 'card', status: 'paid', amount: 100 } }))).status).toBe(202);
    });

    it("a modification's unit price in the order's currency", async () => {
      const id = await world.place(tenantId, order({ payment: { method: 'card', status: 'pending', amount: 0 } }));
      const res = await world.sut.http().patch(`/v1/orders/${id}`).set(asPlatform(tenantId)).send({ lines: [{ sku, quantity: 1, unitPrice: 9.999 }] });
      await expectProblem(res, 400, 'VALIDATION_FAILED', 'lines.0.unitPrice');
      expect((await world.order(tenantId, id)).totalAmount).toBe('20');
    });
  });

  describe('backorderDeadline: at most 90 days ahead', () => {
    it('91 days ahead: 422 BACKORDER_DEADLINE_TOO_FAR; 89 days ahead is accepted', async () => {
      const at = (days: number) => new Date(Date.now() + days * DAY).toISOString();
      const far = await post(order({ shortagePolicy: { mode: 'backorder', backorderDeadline: at(91) } } as Partial<OrderBody>));
      await expectProblem(far, 422, 'BACKORDER_DEADLINE_TOO_FAR');
      expect(far.body.maxBackorderDays).toBe(90);
      const near = await post(order({ shortagePolicy: { mode: 'backorder', backorderDeadline: at(89) } } as Partial<OrderBody>));
      expect(near.status).toBe(202);
    });

    it("the platform's own maximum (skald platform create --max-backorder-days 30): 31 days ahead is too far", async () => {
      const platform = await world.platform(aPlatform({ shortagePolicy: { mode: 'backorder', backorderDays: 7, partialRemainder: 'backorder', maxBackorderDays: 30 } }));
      const at = (days: number) => new Date(Date.now() + days * DAY).toISOString();
      const placeWith = (days: number) =>
        world.sut.http().post('/v1/orders').set(asPlatform(platform.tenantId)).send(order({ shortagePolicy: { mode: 'backorder', backorderDeadline: at(days) } } as Partial<OrderBody>));
      const far = await placeWith(31);
      await expectProblem(far, 422, 'BACKORDER_DEADLINE_TOO_FAR');
      expect(far.body.maxBackorderDays).toBe(30);
      expect((await placeWith(29)).status).toBe(202);
    });
  });
});
