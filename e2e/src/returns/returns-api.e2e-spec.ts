import { randomUUID } from 'node:crypto';
import { waitFor } from '@skald/testing';
import { createPlatform, createStaffKey, type GatewayClient } from '../../support/gateway-client.js';
import { Trading } from '../../support/trading.js';

/**
 * Returns through the public API (gateway → returns service), after a real order was shipped and
 * delivered by the six services: asked for with a readable RMA number, read and listed by its own
 * platform only, held for a reviewer by the platform's policy, cancelled, and refused beyond what
 * shipped; received and graded by the warehouse, refunded and counted in the analytics.
 */
/** What these tests read of a listed return. */
interface ReturnRow {
  id: string;
  orderId: string;
  status: string;
  reviewReasons: string[];
  lines: Array<{ sku: string; quantity: number }>;
}

describe('returns through the gateway (six services, real PostgreSQL and RabbitMQ)', () => {
  let t: Trading;
  let otherShop: GatewayClient;
  let admin: GatewayClient;
  let reviewer: GatewayClient;
  let tenantId: string;
  let sku: string;
  let wh: string;
  const SHIPPED = 5;

  const line = (quantity: number, reasonCode = 'DAMAGED_IN_TRANSIT') => ({ sku, quantity, reasonCode });
  const ask = (orderId: string, lines: object[], idempotencyKey?: string) => t.shop.post('/v1/returns', { orderId, lines, resolution: 'refund' }, idempotencyKey);
  const returnsOf = async (client: GatewayClient, query: string) => (await client.expect(200, client.get(`/v1/returns?${query}`))).items as ReturnRow[];

  /** A new order of SHIPPED units, shipped and delivered through the API, known to returns. */
  const aDeliveredOrder = (item = sku): Promise<string> => t.deliveredOrder(wh, item, SHIPPED, 12.5);

  beforeAll(async () => {
    const staff = await createStaffKey(['inventory', 'ops']);
    const operator = await createStaffKey(['warehouse']);
    [admin, reviewer] = await Promise.all([createStaffKey(['admin']), createStaffKey(['reviewer'])]);
    const shop = await createPlatform('Returning shop');
    tenantId = shop.tenantId;
    otherShop = (await createPlatform('Other shop')).client;
    t = new Trading(shop.client, staff, operator);
    sku = await t.sku('RET', 12.5);
    wh = await t.warehouse('WH-RET', 1);
  });

  it('asks for a return (202, RMA-YYYY-NNNNNN, approved under the default policy), once per Idempotency-Key; reads and lists it; another platform sees nothing', async () => {
    const orderId = await aDeliveredOrder();
    const key = randomUUID();
    const first = await ask(orderId, [line(1)], key);
    const again = await ask(orderId, [line(1)], key);

    expect(first.status).toBe(202);
    expect(first.body).toEqual({ id: expect.any(String), rmaNumber: expect.stringMatching(new RegExp(`^RMA-${new Date().getUTCFullYear()}-\\d{6}$`)), status: 'approved' });
    expect([again.status, again.body, again.headers.get('idempotent-replayed')]).toEqual([202, first.body, 'true']);
    const { id, rmaNumber } = first.body;

    expect(await t.shop.expect(200, t.shop.get(`/v1/returns/${id}`))).toMatchObject({
      id,
      rmaNumber,
      orderId,
      platformId: tenantId,
      status: 'approved',
      resolution: 'refund',
      amount: '12.5',
      currency: 'EUR',
      lines: [{ sku, quantity: 1, reasonCode: 'DAMAGED_IN_TRANSIT' }],
    });
    expect((await returnsOf(t.shop, `orderId=${orderId}`)).map((r) => r.id)).toEqual([id]);
    expect((await returnsOf(t.staff, `orderId=${orderId}`)).map((r) => r.id)).toEqual([id]);

    expect(await otherShop.expect(200, otherShop.get(`/v1/returns?orderId=${orderId}`))).toEqual({ items: [], nextCursor: null });
    expect((await returnsOf(otherShop, 'limit=100')).filter((r) => r.orderId === orderId)).toEqual([]);
    const theirs = await otherShop.get(`/v1/returns/${id}`);
    expect([theirs.status, theirs.body.code]).toEqual([404, 'RETURN_NOT_FOUND']);
    const theirCancel = await otherShop.post(`/v1/returns/${id}/cancel`, {});
    expect([theirCancel.status, theirCancel.body.code]).toEqual([404, 'RETURN_NOT_FOUND']);
    const theirReturn = await otherShop.post('/v1/returns', { orderId, lines: [line(1)], resolution: 'refund' });
    expect([theirReturn.status, theirReturn.body.code]).toEqual([404, 'RETURN_ORDER_NOT_FOUND']);
    expect((await t.shop.expect(200, t.shop.get(`/v1/returns/${id}`))).status).toBe('approved');
  });

  it("holds a return whose reason the platform's policy names for a reviewer, who approves it once", async () => {
    const orderId = await aDeliveredOrder();
    const path = `/v1/platforms/${tenantId}/return-policy`;
    const refused = await reviewer.put(path, { reviewReasons: ['CHANGED_MIND'] });
    expect([refused.status, refused.body.code]).toEqual([403, 'FORBIDDEN']);
    const policy = await admin.expect(200, admin.put(path, { reviewReasons: ['CHANGED_MIND'] }));
    expect(policy).toEqual({ platformId: tenantId, windowDays: 30, reviewReasons: ['CHANGED_MIND'], reviewAbove: null, scrapRefundPercent: 100, isDefault: false });
    expect(await reviewer.expect(200, reviewer.get(path))).toEqual(policy);

    const held = await t.shop.expect(202, ask(orderId, [line(1, 'CHANGED_MIND')]));
    expect(held.status).toBe('requested');
    const queue = await returnsOf(reviewer, `status=requested&orderId=${orderId}`);
    expect(queue.map((r) => [r.id, r.status, r.reviewReasons])).toEqual([[held.id, 'requested', ['REVIEW_REASON: CHANGED_MIND']]]);
    expect((await returnsOf(reviewer, 'status=requested&limit=100')).map((r) => r.id)).toContain(held.id);

    const byShop = await t.shop.post(`/v1/returns/${held.id}/review`, { decision: 'approve', reason: 'looks fine' });
    expect([byShop.status, byShop.body.code]).toEqual([403, 'FORBIDDEN']);
    const approved = await reviewer.expect(200, reviewer.post(`/v1/returns/${held.id}/review`, { decision: 'approve', reason: 'unworn, tags on' }));
    expect(approved).toMatchObject({ id: held.id, status: 'approved', statusReason: 'APPROVED_BY_REVIEWER: unworn, tags on' });
    const twice = await reviewer.post(`/v1/returns/${held.id}/review`, { decision: 'reject', reason: 'second thoughts' });
    expect([twice.status, twice.body.code]).toEqual([409, 'RETURN_NOT_AWAITING_REVIEW']);
    expect(await returnsOf(reviewer, `status=requested&orderId=${orderId}`)).toEqual([]);
  });

  it('cancels a return before its goods arrive, and frees its units', async () => {
    const orderId = await aDeliveredOrder();
    const asked = await t.shop.expect(202, ask(orderId, [line(SHIPPED)]));

    const cancelling = await t.shop.expect(200, t.shop.post(`/v1/returns/${asked.id}/cancel`, { reason: 'kept it after all' }));

    // Approved, the warehouse expects the goods: it is told first, then the return is cancelled.
    expect(cancelling).toMatchObject({ id: asked.id, statusReason: expect.stringMatching(/^CANCELLED by .*: kept it after all$/) });
    await waitFor(`return ${asked.id} cancelled`, async () => ((await t.shop.expect(200, t.shop.get(`/v1/returns/${asked.id}`))).status === 'cancelled' ? true : undefined), 30_000);
    expect((await returnsOf(t.shop, `orderId=${orderId}&status=cancelled`)).map((r) => r.id)).toEqual([asked.id]);
    expect((await t.shop.expect(202, ask(orderId, [line(SHIPPED)]))).status).toBe('approved');
  });

  it('refuses more units than shipped less earlier returns with 422 RETURN_QUANTITY_EXCEEDED; a second return for the rest is fine', async () => {
    const orderId = await aDeliveredOrder();
    await t.shop.expect(202, ask(orderId, [line(2)]));

    const tooMany = await ask(orderId, [line(SHIPPED - 1)]);
    expect(tooMany.status).toBe(422);
    expect(tooMany.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(tooMany.body).toMatchObject({ status: 422, code: 'RETURN_QUANTITY_EXCEEDED', lines: [{ sku, requested: SHIPPED - 1, returnable: SHIPPED - 2 }] });

    await t.shop.expect(202, ask(orderId, [line(SHIPPED - 2)]));
    const beyond = await ask(orderId, [line(1)]);
    expect([beyond.status, beyond.body.code]).toEqual([422, 'RETURN_QUANTITY_EXCEEDED']);
    expect((await returnsOf(t.shop, `orderId=${orderId}`)).map((r) => r.lines[0].quantity).sort()).toEqual([2, SHIPPED - 2].sort());
  });

  it('refuses a return without an Idempotency-Key or with bad lines at the gateway (400 problem+json) and leaves nothing behind', async () => {
    const orderId = await aDeliveredOrder();

    const noKey = await t.shop.call('POST', '/v1/returns', { orderId, lines: [line(1)], resolution: 'refund' });
    const bad = await t.shop.post('/v1/returns', { orderId, lines: [{ sku, quantity: 0, reasonCode: 'changed mind' }], resolution: 'refund' });

    expect([noKey.status, noKey.body.code, noKey.body.errors]).toEqual([400, 'VALIDATION_FAILED', [expect.objectContaining({ field: 'Idempotency-Key' })]]);
    expect([bad.status, bad.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect(await returnsOf(t.shop, `orderId=${orderId}`)).toEqual([]);
  });

  it('the warehouse receives and grades a return (A restocked, B quarantined), it is refunded and closed, and the analytics count it', async () => {
    const item = await t.sku('RET-GRADED', 12.5);
    const orderId = await aDeliveredOrder(item);
    const asked = await t.shop.expect(202, t.shop.post('/v1/returns', { orderId, lines: [{ sku: item, quantity: 2, reasonCode: 'WRONG_SIZE' }], resolution: 'refund' }));
    expect(asked.status).toBe('approved');
    const status = (state: string) =>
      waitFor(`return ${asked.id} ${state}`, async () => {
        const current = await t.shop.expect(200, t.shop.get(`/v1/returns/${asked.id}`));
        return current.status === state ? current : undefined;
      }, 30_000);

    const byShop = await t.shop.post(`/v1/returns/${asked.id}/receive`, {});
    expect([byShop.status, byShop.body.code]).toEqual([403, 'FORBIDDEN']);
    await t.operator.expect(202, t.operator.post(`/v1/returns/${asked.id}/receive`, {}));
    expect((await status('received')).received).toEqual([{ sku: item, quantity: 2 }]);
    const mismatch = await t.operator.post(`/v1/returns/${asked.id}/inspect`, { lines: [{ sku: item, quantity: 1, grade: 'A' }] });
    expect([mismatch.status, mismatch.body.code]).toEqual([422, 'RETURN_INSPECTION_MISMATCH']);
    await t.operator.expect(202, t.operator.post(`/v1/returns/${asked.id}/inspect`, { lines: [{ sku: item, quantity: 1, grade: 'A' }, { sku: item, quantity: 1, grade: 'B', note: 'scuffed' }] }));

    const closed = await status('closed');
    expect(closed).toMatchObject({ refundAmount: '25', warehouse: wh, inspection: expect.arrayContaining([expect.objectContaining({ grade: 'A', quantity: 1 }), expect.objectContaining({ grade: 'B', quantity: 1 })]) });
    const stock = await t.staff.expect(200, t.staff.get(`/v1/stock/${item}`));
    expect(stock.warehouses).toEqual([expect.objectContaining({ warehouse: wh, onHand: 2, reserved: 0, quarantined: 1, available: 1 })]);

    const figures = await reviewer.expect(200, reviewer.get(`/v1/analytics/returns?groupBy=sku&platformId=${tenantId}`));
    expect(figures.groupBy).toBe('sku');
    expect(figures.groups.filter((g: { key: string }) => g.key === item)).toEqual([{ key: item, returnedUnits: 2, shippedUnits: SHIPPED, returnRate: 0.4, returns: 1 }]);
    const refused = await t.shop.get('/v1/analytics/returns');
    expect([refused.status, refused.body.code]).toEqual([403, 'FORBIDDEN']);
  });
});
