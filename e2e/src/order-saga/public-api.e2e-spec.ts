import { randomUUID } from 'node:crypto';
import { waitFor } from '@skald/testing';
import { createPlatform, createStaffKey, type GatewayClient } from '../../support/gateway-client.js';
import { catalogReachedOrders } from '../../support/replicas.js';

/** Concerns of the public API over the real services: concurrency, idempotency, isolation, roles, bad input. */
describe('the public API over the real services', () => {
  let shop: GatewayClient;
  let otherShop: GatewayClient;
  let shopId: string;
  let otherShopId: string;
  let staff: GatewayClient;
  const run = randomUUID().slice(0, 6).toUpperCase();

  beforeAll(async () => {
    ({ client: shop, tenantId: shopId } = await createPlatform(`Shop ${run}`, { reviewThreshold: 100000 }));
    ({ client: otherShop, tenantId: otherShopId } = await createPlatform(`Other ${run}`));
    staff = await createStaffKey(['inventory', 'ops', 'reviewer']);
  });

  async function anSku(quantity: number, warehouse = `WH-API-${run}`): Promise<string> {
    const sku = `SKU-${randomUUID().slice(0, 8)}`;
    await staff.expect(200, staff.put(`/v1/catalog/${sku}`, { name: 'Lamp', listPrice: 10, currency: 'EUR', sellable: true, returnable: true }));
    await staff.expect(201, staff.post('/v1/stock/receipts', { warehouse, lines: [{ sku, quantity }] }));
    await catalogReachedOrders([sku]);
    return sku;
  }

  const orderBody = (sku: string, quantity = 1, externalId = `EXT-${randomUUID().slice(0, 12)}`) => ({
    externalId,
    channel: 'marketplace',
    customer: { id: `C-${randomUUID().slice(0, 8)}`, name: 'Bo Buyer', email: 'bo@example.test' },
    lines: [{ sku, quantity, unitPrice: 10 }],
    currency: 'EUR',
    shippingAddress: { line1: 'Meir 1', city: 'Antwerp', postalCode: '2000', country: 'BE' },
    payment: { method: 'card', status: 'paid', amount: 10 * quantity },
  });

  it('lets exactly 20 of 50 concurrent orders reserve 20 units, overselling none', async () => {
    const sku = await anSku(20);
    const placed = await Promise.all(Array.from({ length: 50 }, () => shop.expect(202, shop.post('/v1/orders', orderBody(sku)))));
    const ids: string[] = placed.map((p) => p.id);

    const settled = await waitFor('all 50 orders settled', async () => {
      const statuses = await Promise.all(ids.map(async (id) => (await shop.expect(200, shop.get(`/v1/orders/${id}`))).status as string));
      return statuses.every((s) => s === 'released' || s === 'cancelled') ? statuses : undefined;
    }, 60_000);
    expect(settled.filter((s) => s === 'released')).toHaveLength(20);
    expect(settled.filter((s) => s === 'cancelled')).toHaveLength(30);

    const stock = await staff.expect(200, staff.get(`/v1/stock/${sku}`));
    expect(stock.totals).toEqual({ onHand: 20, reserved: 20, quarantined: 0, available: 0 });
    const ledger = await staff.expect(200, staff.get(`/v1/stock/${sku}/ledger?limit=200`));
    expect(ledger.items.filter((e: { kind: string }) => e.kind === 'reserve')).toHaveLength(20);
  });

  it('replays an Idempotency-Key with the same body and refuses it with another, per platform', async () => {
    const sku = await anSku(10);
    const key = randomUUID();
    const body = orderBody(sku);
    const first = await shop.post('/v1/orders', body, key);
    const again = await shop.post('/v1/orders', body, key);
    expect(first.status).toBe(202);
    expect(again.status).toBe(202);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');

    const reused = await shop.post('/v1/orders', { ...body, externalId: `EXT-${randomUUID().slice(0, 12)}` }, key);
    expect(reused.status).toBe(422);
    expect(reused.body).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });

    // Keys are per tenant: the other platform's request with the same key is its own.
    const theirs = await otherShop.post('/v1/orders', orderBody(sku), key);
    expect(theirs.status).toBe(202);
    expect(theirs.body.id).not.toBe(first.body.id);

    const list = await shop.expect(200, shop.get(`/v1/orders?limit=100`));
    expect(list.items.filter((o: { externalId: string }) => o.externalId === body.externalId)).toHaveLength(1);
  });

  it("hides one platform's orders from another and enforces roles", async () => {
    const sku = await anSku(5);
    const mine = await shop.expect(202, shop.post('/v1/orders', orderBody(sku)));
    const foreign = await otherShop.get(`/v1/orders/${mine.id}`);
    expect(foreign.status).toBe(404);
    expect(foreign.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect((await otherShop.expect(200, otherShop.get('/v1/orders?limit=100'))).items.map((o: { id: string }) => o.id)).not.toContain(mine.id);
    expect((await staff.get(`/v1/orders/${mine.id}`)).status).toBe(200);

    expect((await shop.put(`/v1/catalog/${sku}`, { name: 'x', listPrice: 1, currency: 'EUR', sellable: true, returnable: true })).status).toBe(403);
    expect((await shop.get('/v1/reviews?status=pending')).status).toBe(403);
    const warehouseOnly = await createStaffKey(['warehouse']);
    expect((await warehouseOnly.put(`/v1/platforms/${shopId}/customers/C-1`, { creditLimit: 5, currency: 'EUR' })).status).toBe(403);
    expect((await shop.get(`/v1/platforms/${shopId}/customers/C-1`)).status).toBe(403);
    expect((await warehouseOnly.post('/v1/orders', orderBody(sku))).status).toBe(403);
    const anonymous = await fetch(`${(await import('../../support/suite-state.mjs')).suite().urls.gateway}/v1/orders`);
    expect(anonymous.status).toBe(401);
  });

  it("keeps customers' credit per platform: one platform's limit and unpaid orders never touch another's customer of the same id", async () => {
    const sku = await anSku(10);
    const customerId = `cust-${randomUUID().slice(0, 8)}`;
    const unpaid = (amount: number) => ({
      ...orderBody(sku, amount / 10),
      customer: { id: customerId, name: 'Cy Credit', email: 'cy@example.test' },
      payment: { method: 'invoice', status: 'pending', amount },
    });
    const outcome = (client: GatewayClient, id: string) =>
      waitFor(`review of ${id}`, async () => (await client.expect(200, client.get(`/v1/orders/${id}`))).review?.outcome as string | undefined);
    const credit = (platformId: string) => `/v1/platforms/${platformId}/customers/${customerId}`;
    // Set-up: the orders service learns of a new platform from its registration event.
    await waitFor('the limit set', async () => (await staff.put(credit(shopId), { creditLimit: 25, currency: 'EUR' })).status === 200);

    // The other platform's customer of that id has no limit: 2 × 20 pass where 25 would hold the second.
    const theirs = [await otherShop.expect(202, otherShop.post('/v1/orders', unpaid(20))), await otherShop.expect(202, otherShop.post('/v1/orders', unpaid(20)))];
    for (const order of theirs) expect(await outcome(otherShop, order.id)).toBe('approved');
    // Their 40 unpaid do not count against this platform's 25.
    const fits = await shop.expect(202, shop.post('/v1/orders', unpaid(20)));
    expect(await outcome(shop, fits.id)).toBe('approved');
    const over = await shop.expect(202, shop.post('/v1/orders', unpaid(10)));
    expect(await outcome(shop, over.id)).toBe('on_hold');
    expect((await shop.expect(200, shop.get(`/v1/orders/${over.id}`))).review.reasons.map((r: { code: string }) => r.code)).toEqual(['CREDIT_LIMIT_EXCEEDED']);

    const mine = await staff.expect(200, staff.get(credit(shopId)));
    expect(mine).toMatchObject({ platformId: shopId, customerId, creditLimit: '25', currency: 'EUR', openExposure: '30' });
    expect(mine.openOrders.map((o: { id: string }) => o.id)).toEqual([fits.id, over.id]);
    const other = await staff.expect(200, staff.get(credit(otherShopId)));
    expect(other).toMatchObject({ platformId: otherShopId, creditLimit: null, openExposure: null });
    expect(other.openOrders.map((o: { id: string }) => o.id).sort()).toEqual(theirs.map((o) => o.id).sort());

    const unknown = await staff.get(`/v1/platforms/${randomUUID()}/customers/${customerId}`);
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ code: 'PLATFORM_NOT_FOUND' });
  });

  it('answers bad bodies with 400 problem+json listing the fields, and stores nothing', async () => {
    const before = (await shop.expect(200, shop.get('/v1/orders?limit=100'))).items.length;
    const bad = await shop.post('/v1/orders', { ...orderBody('SKU-X'), lines: [{ sku: 'SKU-X', quantity: 0, unitPrice: 'ten' }], currency: 'eur', extra: 1 });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['lines.0.quantity', 'lines.0.unitPrice', 'currency', 'extra']));
    expect((await shop.expect(200, shop.get('/v1/orders?limit=100'))).items.length).toBe(before);

    const badReceipt = await staff.post('/v1/stock/receipts', { warehouse: '', lines: [] });
    expect(badReceipt.status).toBe(400);
  });

  it('holds a large order for a reviewer, who approves it through the API', async () => {
    const cautious = (await createPlatform(`Cautious ${run}`, { reviewThreshold: 15 })).client;
    const sku = await anSku(5);
    const placed = await cautious.expect(202, cautious.post('/v1/orders', orderBody(sku, 2)));
    const held = await waitFor('held for review', async () => {
      const queue = await staff.expect(200, staff.get('/v1/reviews?status=pending'));
      return queue.items.find((i: { id: string }) => i.id === placed.id);
    });
    expect(held.reasons.map((r: { code: string }) => r.code)).toEqual(['AMOUNT_ABOVE_THRESHOLD']);
    await staff.expect(200, staff.post(`/v1/orders/${placed.id}/review`, { decision: 'approve', reason: 'regular customer' }));
    await waitFor('released after approval', async () => (await cautious.expect(200, cautious.get(`/v1/orders/${placed.id}`))).status === 'released');
  });
});
