import { CancelExpectedReturnV1, CatalogItemUpdatedV1, ExpectedReturnCancelledV1, ExpectReturnV1, ReturnStatusChangedV1 } from '@skald/contracts';
import { anIdempotencyKey, asPlatform, asStaff, waitFor } from '@skald/testing';
import { randomUUID } from 'node:crypto';
import { ReturnsWorld, type OrderedLine } from '../../test/returns-world.js';

/**
 * The returns service over HTTP, with a broker probe playing orders and the warehouse: the
 * replica of a delivered order, a return asked for against it, each policy rule, review, cancel.
 */
describe('returns: request, policy, review, cancel (real PostgreSQL and RabbitMQ)', () => {
  const world = new ReturnsWorld();
  let sut: ReturnsWorld['sut'];
  let probe: ReturnsWorld['probe'];

  beforeAll(async () => {
    await world.start([CancelExpectedReturnV1]);
    ({ sut, probe } = world);
  });
  afterAll(() => world.stop());

  const aDeliveredOrder = (tenantId: string, lines: OrderedLine[], deliveredDaysAgo = 2) => world.deliveredOrder(tenantId, lines, deliveredDaysAgo);
  const ask = (tenantId: string, body: object, key?: Record<string, string>) => world.ask(tenantId, body, key);
  const line = (sku: string, quantity: number, reasonCode = 'CHANGED_MIND') => ({ sku, quantity, reasonCode });

  it('approves a return within the policy at once, with a readable RMA number, and announces each status', async () => {
    const tenantId = `shop-${randomUUID().slice(0, 8)}`;
    const orderId = await aDeliveredOrder(tenantId, [{ sku: 'MUG', quantity: 3, unitPrice: '12.50' }]);
    const res = await ask(tenantId, { orderId, lines: [line('MUG', 2)], resolution: 'refund' });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ id: expect.any(String), rmaNumber: expect.stringMatching(/^RMA-\d{4}-\d{6}$/), status: 'approved' });
    const view = (await sut.http().get(`/v1/returns/${res.body.id}`).set(asPlatform(tenantId))).body;
    expect(view).toMatchObject({ orderId, externalId: `EXT-${orderId}`, status: 'approved', amount: '25', currency: 'EUR', reviewReasons: [], overdue: false, lines: [{ sku: 'MUG', quantity: 2, reasonCode: 'CHANGED_MIND' }] });
    const requested = await probe.next(ReturnStatusChangedV1, (p) => p.returnId === res.body.id && p.status === 'requested');
    const approved = await probe.next(ReturnStatusChangedV1, (p) => p.returnId === res.body.id && p.status === 'approved');
    expect(requested).toMatchObject({ tenantId, correlationId: res.body.id });
    expect(approved.payload).toMatchObject({ previousStatus: 'requested', rmaNumber: res.body.rmaNumber, customer: { email: 'ada@example.com' } });
    // The warehouse that shipped the goods is told to expect them.
    const expect_ = await probe.next(ExpectReturnV1, (p) => p.returnId === res.body.id);
    expect(expect_.payload).toEqual({ returnId: res.body.id, rmaNumber: res.body.rmaNumber, orderId, warehouse: 'WH-1', lines: [{ sku: 'MUG', quantity: 2 }] });
    const steps: Array<{ kind: string; to_state: string | null }> = await sut.dataSource.query(`SELECT kind, to_state FROM saga_step WHERE saga_id = $1 ORDER BY id`, [res.body.id]);
    expect(steps.filter((s) => s.kind === 'state_changed').map((s) => s.to_state)).toEqual(['approved']);
  });

  it('refuses by each policy rule with its stable code, and stores nothing', async () => {
    const tenantId = `shop-${randomUUID().slice(0, 8)}`;
    const old = await aDeliveredOrder(tenantId, [{ sku: 'MUG', quantity: 1, unitPrice: '10' }], 31);
    const recent = await aDeliveredOrder(tenantId, [{ sku: 'MUG', quantity: 1, unitPrice: '10' }]);
    const window = await ask(tenantId, { orderId: old, lines: [line('MUG', 1)], resolution: 'refund' });
    expect(window.status).toBe(422);
    expect(window.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(window.body).toMatchObject({ code: 'RETURN_WINDOW_CLOSED' });
    expect((await ask(tenantId, { orderId: recent, lines: [line('MUG', 2)], resolution: 'refund' })).body).toMatchObject({ code: 'RETURN_QUANTITY_EXCEEDED' });
    expect((await ask(tenantId, { orderId: recent, lines: [line('PLATE', 1)], resolution: 'refund' })).body).toMatchObject({ code: 'RETURN_QUANTITY_EXCEEDED' });
    // A SKU the catalog marks as not returnable.
    const sealed = await aDeliveredOrder(tenantId, [{ sku: 'EARBUDS', quantity: 1, unitPrice: '30' }]);
    probe.publish(CatalogItemUpdatedV1, { sku: 'EARBUDS', name: 'Earbuds', listPrice: '30', currency: 'EUR', sellable: true, returnable: false });
    await waitFor('the flag in the replica', async () => ((await sut.dataSource.query(`SELECT 1 FROM returnable_sku WHERE sku = 'EARBUDS' AND NOT returnable`)).length === 1 ? true : undefined));
    expect((await ask(tenantId, { orderId: sealed, lines: [line('EARBUDS', 1)], resolution: 'refund' })).body).toMatchObject({ code: 'SKU_NOT_RETURNABLE', skus: ['EARBUDS'] });
    // Another platform's order does not exist for this one.
    expect((await ask(`shop-${randomUUID().slice(0, 8)}`, { orderId: recent, lines: [line('MUG', 1)], resolution: 'refund' })).status).toBe(404);
    const bad = await ask(tenantId, { orderId: recent, lines: [{ sku: 'MUG', quantity: 0, reasonCode: 'lower case' }], resolution: 'money back' });
    expect(bad.status).toBe(400);
    expect(new Set(bad.body.errors.map((e: { field: string }) => e.field))).toEqual(new Set(['lines.0.quantity', 'lines.0.reasonCode', 'resolution']));
    expect(await sut.dataSource.query(`SELECT 1 FROM return_request WHERE order_id = ANY($1)`, [[old, recent, sealed]])).toEqual([]);
  });

  it('a second return for the rest is fine, a third beyond what shipped is refused; a cancelled one frees its units', async () => {
    const tenantId = `shop-${randomUUID().slice(0, 8)}`;
    const orderId = await aDeliveredOrder(tenantId, [{ sku: 'MUG', quantity: 3, unitPrice: '5' }]);
    const first = await ask(tenantId, { orderId, lines: [line('MUG', 2)], resolution: 'refund' });
    const second = await ask(tenantId, { orderId, lines: [line('MUG', 1)], resolution: 'exchange' });
    expect([first.status, second.status]).toEqual([202, 202]);
    expect(first.body.rmaNumber).not.toBe(second.body.rmaNumber);
    const third = await ask(tenantId, { orderId, lines: [line('MUG', 1)], resolution: 'refund' });
    expect(third.status).toBe(422);
    expect(third.body).toMatchObject({ code: 'RETURN_QUANTITY_EXCEEDED', lines: [{ sku: 'MUG', requested: 1, returnable: 0 }] });

    // Approved: the warehouse expects the goods, so it is told first; cancelled once it answers.
    const cancelling = await sut.http().post(`/v1/returns/${second.body.id}/cancel`).set(asPlatform(tenantId)).set(anIdempotencyKey()).send({ reason: 'kept it' });
    expect(cancelling.status).toBe(200);
    expect(cancelling.body).toMatchObject({ status: 'approved', statusReason: `CANCELLED by key-${tenantId}: kept it` });
    const told = await probe.next(CancelExpectedReturnV1, (p) => p.returnId === second.body.id);
    expect(told.payload.reason).toBe(`CANCELLED by key-${tenantId}: kept it`);
    // Still counted while the cancellation runs.
    expect((await ask(tenantId, { orderId, lines: [line('MUG', 1)], resolution: 'refund' })).status).toBe(422);
    probe.publish(ExpectedReturnCancelledV1, { returnId: second.body.id, rmaNumber: second.body.rmaNumber, orderId, warehouse: 'WH-1', reason: told.payload.reason, cancelledAt: new Date().toISOString() }, { tenantId, correlationId: second.body.id });
    await probe.next(ReturnStatusChangedV1, (p) => p.returnId === second.body.id && p.status === 'cancelled');
    expect((await ask(tenantId, { orderId, lines: [line('MUG', 1)], resolution: 'refund' })).status).toBe(202);
  });

  it('sends reasons and amounts the policy names to a reviewer; the reviewer approves or rejects once', async () => {
    const tenantId = `shop-${randomUUID().slice(0, 8)}`;
    const put = await sut.http().put(`/v1/platforms/${tenantId}/return-policy`).set(asStaff(['admin'])).set(anIdempotencyKey()).send({ reviewReasons: ['DAMAGED'], reviewAbove: 100 });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({ platformId: tenantId, windowDays: 30, reviewReasons: ['DAMAGED'], reviewAbove: '100', scrapRefundPercent: 100, isDefault: false });
    const orderId = await aDeliveredOrder(tenantId, [{ sku: 'TV', quantity: 1, unitPrice: '499' }, { sku: 'MUG', quantity: 2, unitPrice: '5' }]);
    const damaged = await ask(tenantId, { orderId, lines: [line('MUG', 1, 'DAMAGED')], resolution: 'refund' });
    const expensive = await ask(tenantId, { orderId, lines: [line('TV', 1)], resolution: 'refund' });
    expect([damaged.body.status, expensive.body.status]).toEqual(['requested', 'requested']);

    const queue = await sut.http().get('/v1/returns?status=requested').set(asStaff(['reviewer']));
    const mine = queue.body.items.filter((r: { orderId: string }) => r.orderId === orderId);
    expect(mine.map((r: { reviewReasons: string[] }) => r.reviewReasons).sort()).toEqual([['REVIEW_AMOUNT: 499 above 100'], ['REVIEW_REASON: DAMAGED']]);

    const review = (id: string, decision: string) => sut.http().post(`/v1/returns/${id}/review`).set(asStaff(['reviewer'])).set(anIdempotencyKey()).send({ decision, reason: 'checked the photos' });
    expect((await review(damaged.body.id, 'approve')).body).toMatchObject({ status: 'approved', statusReason: 'APPROVED_BY_REVIEWER: checked the photos' });
    expect((await review(expensive.body.id, 'reject')).body).toMatchObject({ status: 'rejected' });
    expect((await review(expensive.body.id, 'approve')).body).toMatchObject({ code: 'RETURN_NOT_AWAITING_REVIEW' });
    // A platform cannot review, not even its own.
    expect((await sut.http().post(`/v1/returns/${damaged.body.id}/review`).set(asPlatform(tenantId)).set(anIdempotencyKey()).send({ decision: 'approve', reason: 'x' })).status).toBe(403);
  });

  it('answers the same request twice with one Idempotency-Key once, and lists a platform its own returns only', async () => {
    const tenantId = `shop-${randomUUID().slice(0, 8)}`;
    const orderId = await aDeliveredOrder(tenantId, [{ sku: 'MUG', quantity: 2, unitPrice: '5' }]);
    const key = anIdempotencyKey(`platform:${tenantId}:${randomUUID()}`);
    const body = { orderId, lines: [line('MUG', 1)], resolution: 'refund' };
    const [a, b] = [await ask(tenantId, body, key), await ask(tenantId, body, key)];
    expect(b.status).toBe(a.status);
    expect(b.body).toEqual(a.body);
    expect((await sut.dataSource.query(`SELECT count(*)::int AS n FROM return_request WHERE order_id = $1`, [orderId]))[0].n).toBe(1);

    const other = `shop-${randomUUID().slice(0, 8)}`;
    expect((await sut.http().get(`/v1/returns?orderId=${orderId}`).set(asPlatform(tenantId))).body.items.map((r: { id: string }) => r.id)).toEqual([a.body.id]);
    expect((await sut.http().get(`/v1/returns?orderId=${orderId}`).set(asPlatform(other))).body.items).toEqual([]);
    expect((await sut.http().get(`/v1/returns/${a.body.id}`).set(asPlatform(other))).status).toBe(404);
  });
});
