import { OrderStatusChangedV1, ReserveStockV1 } from '@skald/contracts';
import { asPlatform, asStaff } from '@skald/testing';
import { aCatalogItem, anOrder, aPlatform, unique } from '../../test/factories.js';
import { OrdersWorld } from '../../test/orders-world.js';

describe('order review (real PostgreSQL and RabbitMQ)', () => {
  const world = new OrdersWorld();

  beforeAll(() => world.start([ReserveStockV1]));
  afterAll(() => world.stop());

  async function reviewCodes(tenantId: string, id: string, status: string): Promise<string[]> {
    const order = await world.status(tenantId, id, status);
    return order.review.reasons.map((r: { code: string }) => r.code);
  }

  it('rejects on each hard rule, with every reason, and sends no reservation', async () => {
    const { tenantId } = await world.platform(aPlatform({ priceTolerancePct: 10 }));
    const listed = aCatalogItem({ listPrice: '20' });
    const retired = aCatalogItem({ sellable: false });
    await world.catalog(listed, retired);

    const unknown = await world.place(tenantId, anOrder([{ sku: `GHOST-${unique()}`, quantity: 1, unitPrice: 1 }]));
    expect(await reviewCodes(tenantId, unknown, 'rejected')).toEqual(['SKU_UNKNOWN']);

    const unsellable = await world.place(tenantId, anOrder([{ sku: retired.sku, quantity: 1, unitPrice: 10 }]));
    expect(await reviewCodes(tenantId, unsellable, 'rejected')).toEqual(['SKU_NOT_SELLABLE']);

    // 10% tolerance on 20: 18 passes, 17.99 does not.
    const cheap = await world.place(tenantId, anOrder([{ sku: listed.sku, quantity: 1, unitPrice: 17.99 }]));
    expect(await reviewCodes(tenantId, cheap, 'rejected')).toEqual(['PRICE_BELOW_TOLERANCE']);
    const fair = await world.place(tenantId, anOrder([{ sku: listed.sku, quantity: 1, unitPrice: 18 }]));
    await world.status(tenantId, fair, 'approved');

    const several = await world.place(tenantId, anOrder([
      { sku: `GHOST-${unique()}`, quantity: 1, unitPrice: 1 },
      { sku: listed.sku, quantity: 1, unitPrice: 1 },
    ], { currency: 'EUR' }));
    expect(await reviewCodes(tenantId, several, 'rejected')).toEqual(['SKU_UNKNOWN', 'PRICE_BELOW_TOLERANCE']);

    const rejected = await world.probe.next(OrderStatusChangedV1, (p) => p.orderId === several && p.status === 'rejected');
    expect(rejected.payload.reason).toMatch(/^SKU_UNKNOWN: .*; PRICE_BELOW_TOLERANCE: /);
    for (const id of [unknown, unsellable, cheap, several]) {
      expect(world.probe.messages(ReserveStockV1, (p) => p.orderId === id)).toEqual([]);
    }
    await world.probe.next(ReserveStockV1, (p) => p.orderId === fair);
  });

  it('holds a paid order whose payment differs from its lines for a reviewer (AMOUNT_MISMATCH), with both figures; an exact payment passes', async () => {
    const { tenantId } = await world.platform(aPlatform());
    const item = aCatalogItem({ listPrice: '0.1' });
    await world.catalog(item);
    const paid = (amount: number) => anOrder([{ sku: item.sku, quantity: 3, unitPrice: 0.1 }], { payment: { method: 'card', status: 'paid', amount } });

    // 0.1 × 3 in floating point is 0.30000000000000004; in minor units it is exactly 0.3.
    const exact = await world.place(tenantId, paid(0.3));
    await world.status(tenantId, exact, 'approved');
    const short = await world.place(tenantId, paid(0.29));
    const held = await world.status(tenantId, short, 'on_hold');
    expect(held.review.reasons).toEqual([
      { code: 'AMOUNT_MISMATCH', message: 'paid 0.29 EUR, but the lines add up to 0.3 EUR', details: { paymentAmount: '0.29', linesTotal: '0.3', currency: 'EUR' } },
    ]);
    const queue = await world.sut.http().get('/v1/reviews?status=pending').set(asStaff(['reviewer']));
    expect(queue.body.items.find((i: { id: string }) => i.id === short)).toMatchObject({
      reasons: [{ code: 'AMOUNT_MISMATCH', details: { paymentAmount: '0.29', linesTotal: '0.3' } }],
    });
    expect(world.probe.messages(ReserveStockV1, (p) => p.orderId === short)).toEqual([]);
    await world.probe.next(ReserveStockV1, (p) => p.orderId === exact);
  });

  it('holds an order above the threshold; a reviewer approves one and rejects another', async () => {
    const { tenantId } = await world.platform(aPlatform({ reviewAmountThreshold: '100' }));
    const item = aCatalogItem({ listPrice: '60' });
    await world.catalog(item);
    const big = () => anOrder([{ sku: item.sku, quantity: 2, unitPrice: 60 }]);

    const first = await world.place(tenantId, big());
    expect(await reviewCodes(tenantId, first, 'on_hold')).toEqual(['AMOUNT_ABOVE_THRESHOLD']);
    const second = await world.place(tenantId, big());
    await world.status(tenantId, second, 'on_hold');

    const queue = await world.sut.http().get('/v1/reviews?status=pending').set(asStaff(['reviewer']));
    expect(queue.status).toBe(200);
    expect(queue.body.items.map((i: { id: string }) => i.id)).toEqual(expect.arrayContaining([first, second]));
    expect(queue.body.items.find((i: { id: string }) => i.id === first)).toMatchObject({ totalAmount: '120', currency: 'EUR', reasons: [{ code: 'AMOUNT_ABOVE_THRESHOLD' }] });

    const approve = await world.sut.http().post(`/v1/orders/${first}/review`).set(asStaff(['reviewer'], 'rev-1')).send({ decision: 'approve', reason: 'confirmed by phone' });
    expect(approve.status).toBe(200);
    expect(approve.body).toEqual({ id: first, status: 'approved' });
    await world.probe.next(ReserveStockV1, (p) => p.orderId === first);
    const approved = await world.order(tenantId, first);
    expect(approved.review.decision).toMatchObject({ decision: 'approve', reason: 'confirmed by phone', decidedBy: 'rev-1' });
    expect(approved.statusHistory.map((h: { status: string }) => h.status)).toEqual(['received', 'on_hold', 'approved']);

    const reject = await world.sut.http().post(`/v1/orders/${second}/review`).set(asStaff(['reviewer'])).send({ decision: 'reject', reason: 'suspected fraud' });
    expect(reject.body).toEqual({ id: second, status: 'rejected' });
    expect((await world.order(tenantId, second)).statusHistory.at(-1)).toMatchObject({ status: 'rejected', reason: 'REJECTED_BY_REVIEWER: suspected fraud' });

    const again = await world.sut.http().post(`/v1/orders/${second}/review`).set(asStaff(['reviewer'])).send({ decision: 'approve', reason: 'oops' });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'ORDER_NOT_ON_HOLD', status: 409, title: 'Conflict' });

    const notReviewer = await world.sut.http().post(`/v1/orders/${first}/review`).set(asStaff(['warehouse'])).send({ decision: 'approve', reason: 'x' });
    expect(notReviewer.status).toBe(403);
    const platform = await world.sut.http().get('/v1/reviews').set(asPlatform(tenantId));
    expect(platform.status).toBe(403);
  });

  const creditOf = (platformId: string, customerId: string) => `/v1/platforms/${platformId}/customers/${customerId}`;
  const aCreditCustomer = (id = `C-${unique()}`) => ({ id, name: 'Credit Co', email: 'credit@example.com' });
  const unpaid = (customer: { id: string; name: string; email: string }, sku: string, amount: number, currency = 'EUR') =>
    anOrder([{ sku, quantity: 1, unitPrice: amount }], { customer, currency, payment: { method: 'invoice', status: 'pending', amount } });

  it("counts the customer's open unpaid orders against the credit limit", async () => {
    const { tenantId } = await world.platform(aPlatform());
    const item = aCatalogItem({ listPrice: '100' });
    await world.catalog(item);
    const customer = aCreditCustomer();
    const limit = await world.sut.http().put(creditOf(tenantId, customer.id)).set(asStaff(['reviewer'])).send({ creditLimit: 300, currency: 'EUR' });
    expect(limit.status).toBe(200);
    expect(limit.body).toMatchObject({ platformId: tenantId, customerId: customer.id, creditLimit: '300', currency: 'EUR', openExposure: '0', openOrders: [] });

    const first = await world.place(tenantId, unpaid(customer, item.sku, 200));
    await world.status(tenantId, first, 'approved');
    const second = await world.place(tenantId, unpaid(customer, item.sku, 200));
    expect(await reviewCodes(tenantId, second, 'on_hold')).toEqual(['CREDIT_LIMIT_EXCEEDED']);
    const paid = await world.place(tenantId, anOrder([{ sku: item.sku, quantity: 2, unitPrice: 100 }], { customer }));
    await world.status(tenantId, paid, 'approved');

    const credit = await world.sut.http().get(creditOf(tenantId, customer.id)).set(asStaff(['reviewer']));
    expect(credit.status).toBe(200);
    expect(credit.body).toMatchObject({ creditLimit: '300', currency: 'EUR', openExposure: '400' });
    expect(credit.body.openOrders.map((o: { id: string; amount: string; status: string }) => [o.id, o.amount, o.status])).toEqual([
      [first, '200', expect.any(String)],
      [second, '200', 'on_hold'],
    ]);

    const removed = await world.sut.http().put(creditOf(tenantId, customer.id)).set(asStaff(['admin'])).send({ creditLimit: null });
    expect(removed.body).toMatchObject({ creditLimit: null, currency: null, openExposure: null });
    expect(removed.body.openOrders).toHaveLength(2);
    const unlimited = await world.place(tenantId, unpaid(customer, item.sku, 500));
    await world.status(tenantId, unlimited, 'approved');
  });

  it("never counts another platform's orders for the same customer id, nor applies one platform's limit to another's", async () => {
    const [shop, other] = [await world.platform(aPlatform()), await world.platform(aPlatform())];
    const item = aCatalogItem({ listPrice: '100' });
    await world.catalog(item);
    const customer = aCreditCustomer(`cust-${unique()}`);
    await world.sut.http().put(creditOf(shop.tenantId, customer.id)).set(asStaff(['reviewer'])).send({ creditLimit: 300, currency: 'EUR' }).expect(200);

    // The other platform's customer of that id has no limit: 2 × 200 pass, where 300 would hold the second.
    const theirs = [await world.place(other.tenantId, unpaid(customer, item.sku, 200)), await world.place(other.tenantId, unpaid(customer, item.sku, 200))];
    for (const id of theirs) await world.status(other.tenantId, id, 'approved');

    // Their 400 unpaid do not count against this platform's 300.
    const fits = await world.place(shop.tenantId, unpaid(customer, item.sku, 250));
    await world.status(shop.tenantId, fits, 'approved');
    const over = await world.place(shop.tenantId, unpaid(customer, item.sku, 100));
    expect(await reviewCodes(shop.tenantId, over, 'on_hold')).toEqual(['CREDIT_LIMIT_EXCEEDED']);

    const mine = await world.sut.http().get(creditOf(shop.tenantId, customer.id)).set(asStaff(['reviewer']));
    expect(mine.body).toMatchObject({ platformId: shop.tenantId, creditLimit: '300', currency: 'EUR', openExposure: '350' });
    expect(mine.body.openOrders.map((o: { id: string }) => o.id)).toEqual([fits, over]);
    const their = await world.sut.http().get(creditOf(other.tenantId, customer.id)).set(asStaff(['reviewer']));
    expect(their.status).toBe(200);
    expect(their.body).toMatchObject({ platformId: other.tenantId, creditLimit: null, currency: null, openExposure: null, updatedAt: null });
    expect(their.body.openOrders.map((o: { id: string }) => o.id)).toEqual(theirs);
  });

  it('counts an order in another currency not against a limit in EUR, and holds it for a reviewer', async () => {
    const { tenantId } = await world.platform(aPlatform());
    const [eur, usd] = [aCatalogItem({ listPrice: '100' }), aCatalogItem({ listPrice: '100', currency: 'USD' })];
    await world.catalog(eur, usd);
    const customer = aCreditCustomer();
    await world.sut.http().put(creditOf(tenantId, customer.id)).set(asStaff(['reviewer'])).send({ creditLimit: 300, currency: 'EUR' }).expect(200);

    const dollars = await world.place(tenantId, unpaid(customer, usd.sku, 250, 'USD'));
    expect(await reviewCodes(tenantId, dollars, 'on_hold')).toEqual(['CREDIT_LIMIT_CURRENCY_MISMATCH']);
    // 250 USD open and unpaid, yet 250 EUR still fit under 300 EUR.
    const euros = await world.place(tenantId, unpaid(customer, eur.sku, 250));
    await world.status(tenantId, euros, 'approved');

    const credit = await world.sut.http().get(creditOf(tenantId, customer.id)).set(asStaff(['reviewer']));
    expect(credit.body).toMatchObject({ creditLimit: '300', currency: 'EUR', openExposure: '250' });
    expect(credit.body.openOrders.map((o: { id: string; currency: string }) => [o.id, o.currency])).toEqual([
      [dollars, 'USD'],
      [euros, 'EUR'],
    ]);
  });
});
