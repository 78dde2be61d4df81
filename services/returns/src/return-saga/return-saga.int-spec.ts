import {
  BookReturnedStockV1,
  CancelExpectedReturnV1,
  OrderStatusChangedV1,
  PlaceReplacementOrderV1,
  RecordReturnInspectionV1,
  RecordReturnReceiptV1,
  RefundRequestedV1,
  ReplacementOrderPlacedV1,
  ReturnedStockBookedV1,
  ReturnInspectedV1,
  ReturnReceiptRefusedV1,
  ReturnReceivedV1,
  ReturnRefundRequestedV1,
  ReturnStatusChangedV1,
  type MessageEnvelope,
  type OrderStatus,
} from '@skald/contracts';
import { MessageConsumer } from '@skald/messaging';
import { anIdempotencyKey, asPlatform, asStaff, waitFor } from '@skald/testing';
import { randomUUID } from 'node:crypto';
import { ReturnsWorld } from '../../test/returns-world.js';
import { ReturnSagaScheduler } from './return-saga.scheduler.js';

/**
 * The return saga after approval, with the probe answering as the warehouse (receipt and
 * inspection), inventory (booking) and orders (replacement order): receive → inspect → book →
 * refund or exchange, refusals, and the deadlines.
 */
describe('return saga: receipt, inspection, booking, refund and exchange (real PostgreSQL and RabbitMQ)', () => {
  const world = new ReturnsWorld();
  const shop = () => `shop-${randomUUID().slice(0, 8)}`;
  const warehouse = asStaff(['warehouse'], 'dock-1');

  beforeAll(() => world.start([RecordReturnReceiptV1, RecordReturnInspectionV1, BookReturnedStockV1, ReturnRefundRequestedV1, PlaceReplacementOrderV1, CancelExpectedReturnV1]));
  afterAll(() => world.stop());

  const post = (path: string, body: object) => world.sut.http().post(path).set(warehouse).set(anIdempotencyKey()).send(body);

  /** An approved return of `lines` from a delivered order; the warehouse expects it. */
  async function anApprovedReturn(tenantId: string, resolution: 'refund' | 'exchange', lines: Array<{ sku: string; quantity: number; unitPrice: string }>, returned: Array<{ sku: string; quantity: number }>) {
    const orderId = await world.deliveredOrder(tenantId, lines);
    const res = await world.ask(tenantId, { orderId, lines: returned.map((l) => ({ ...l, reasonCode: 'DAMAGED' })), resolution });
    expect(res.body.status).toBe('approved');
    return { orderId, id: res.body.id as string, rmaNumber: res.body.rmaNumber as string };
  }

  /** Receipt and inspection as the warehouse answers them; returns the booking command inventory gets. */
  async function receiveAndInspect(tenantId: string, ret: { orderId: string; id: string; rmaNumber: string }, received: Array<{ sku: string; quantity: number }>, graded: Array<{ sku: string; quantity: number; grade: 'A' | 'B' | 'C' }>) {
    const meta = { tenantId, correlationId: ret.id };
    const ref = { returnId: ret.id, rmaNumber: ret.rmaNumber, orderId: ret.orderId, warehouse: 'WH-1' };
    const receipt = await post(`/v1/returns/${ret.id}/receive`, { lines: received });
    expect(receipt.status).toBe(202);
    expect((await world.probe.next(RecordReturnReceiptV1, (p) => p.returnId === ret.id)).payload.lines).toEqual(received);
    world.probe.publish(ReturnReceivedV1, { ...ref, lines: received, receivedAt: new Date().toISOString() }, meta);
    await world.status(tenantId, ret.id, 'received');

    const inspection = await post(`/v1/returns/${ret.id}/inspect`, { lines: graded });
    expect(inspection.status).toBe(202);
    await world.probe.next(RecordReturnInspectionV1, (p) => p.returnId === ret.id);
    world.probe.publish(ReturnInspectedV1, { ...ref, lines: graded, inspectedAt: new Date().toISOString() }, meta);
    const booking = await world.probe.next(BookReturnedStockV1, (p) => p.returnId === ret.id);
    expect(booking.payload).toEqual({ ...ref, lines: graded });
    expect((await world.status(tenantId, ret.id, 'inspected')).inspection).toEqual(graded.map((g) => ({ ...g, note: null })));
    return { meta, ref, booking };
  }

  it('receive → inspect A, B and C → booked → refund at the order prices (C at the scrap share) → closed', async () => {
    const tenantId = shop();
    await world.sut.http().put(`/v1/platforms/${tenantId}/return-policy`).set(asStaff(['admin'])).set(anIdempotencyKey()).send({ scrapRefundPercent: 50 });
    const ret = await anApprovedReturn(tenantId, 'refund', [{ sku: 'MUG', quantity: 4, unitPrice: '10.00' }], [{ sku: 'MUG', quantity: 4 }]);
    const graded = [
      { sku: 'MUG', quantity: 2, grade: 'A' as const },
      { sku: 'MUG', quantity: 1, grade: 'B' as const },
      { sku: 'MUG', quantity: 1, grade: 'C' as const },
    ];
    const { meta, ref } = await receiveAndInspect(tenantId, ret, [{ sku: 'MUG', quantity: 4 }], graded);
    world.probe.publish(ReturnedStockBookedV1, { ...ref, lines: graded, bookedAt: new Date().toISOString() }, meta);

    const refund = await world.probe.next(ReturnRefundRequestedV1, (p) => p.returnId === ret.id);
    expect(refund.payload).toMatchObject({ refundId: `return:${ret.id}`, amount: '35', currency: 'EUR', externalId: `EXT-${ret.orderId}` });
    expect(refund.payload.lines).toEqual([
      { sku: 'MUG', quantity: 2, grade: 'A', amount: '20' },
      { sku: 'MUG', quantity: 1, grade: 'B', amount: '10' },
      { sku: 'MUG', quantity: 1, grade: 'C', amount: '5' },
    ]);
    const refunded = await world.probe.next(ReturnStatusChangedV1, (p) => p.returnId === ret.id && p.status === 'refunded');
    expect(refunded.payload.refund).toEqual({ amount: '35', currency: 'EUR' });
    expect((await world.probe.next(ReturnStatusChangedV1, (p) => p.returnId === ret.id && p.status === 'closed')).payload.refund).toBeNull();
    const closed = await world.status(tenantId, ret.id, 'closed');
    expect(closed).toMatchObject({ refundAmount: '35', received: [{ sku: 'MUG', quantity: 4 }] });
    const statuses: Array<{ to_state: string }> = await world.sut.dataSource.query(`SELECT to_state FROM saga_step WHERE saga_id = $1 AND kind = 'state_changed' ORDER BY id`, [ret.id]);
    expect(statuses.map((s) => s.to_state)).toEqual(['approved', 'received', 'inspected', 'refunded', 'closed']);
    // A re-sent booking answer is logged as ignored and instructs no second refund.
    world.probe.publish(ReturnedStockBookedV1, { ...ref, lines: graded, bookedAt: new Date().toISOString() }, meta);
    await waitFor('the second answer ignored', async () =>
      (await world.sut.dataSource.query(`SELECT 1 FROM saga_step WHERE saga_id = $1 AND message_type = $2 AND reason LIKE 'ignored%'`, [ret.id, ReturnedStockBookedV1.routingKey])).length === 1 ? true : undefined,
    );
    expect(world.probe.received.filter((m) => m.routingKey === ReturnRefundRequestedV1.routingKey && (m.payload as { returnId: string }).returnId === ret.id)).toHaveLength(1);
  });

  it('never refunds more than is left of the payment (orders refunded part of it before)', async () => {
    const tenantId = shop();
    const ret = await anApprovedReturn(tenantId, 'refund', [{ sku: 'TV', quantity: 1, unitPrice: '300' }], [{ sku: 'TV', quantity: 1 }]);
    world.probe.publish(RefundRequestedV1, { refundId: `${ret.orderId}:rest`, orderId: ret.orderId, externalId: `EXT-${ret.orderId}`, amount: '120', currency: 'EUR', scope: 'lines_cancelled', reason: 'STOCK_SHORT' }, { tenantId, correlationId: ret.orderId });
    const { meta, ref } = await receiveAndInspect(tenantId, ret, [{ sku: 'TV', quantity: 1 }], [{ sku: 'TV', quantity: 1, grade: 'A' }]);
    world.probe.publish(ReturnedStockBookedV1, { ...ref, lines: [{ sku: 'TV', quantity: 1, grade: 'A' }], bookedAt: new Date().toISOString() }, meta);
    expect((await world.probe.next(ReturnRefundRequestedV1, (p) => p.returnId === ret.id)).payload.amount).toBe('180');
    expect((await world.status(tenantId, ret.id, 'closed')).refundAmount).toBe('180');
  });

  it('refuses a receipt beyond the return and an inspection that does not add up; a warehouse refusal can be recorded again', async () => {
    const tenantId = shop();
    const ret = await anApprovedReturn(tenantId, 'refund', [{ sku: 'MUG', quantity: 3, unitPrice: '5' }], [{ sku: 'MUG', quantity: 2 }]);
    expect((await post(`/v1/returns/${ret.id}/receive`, { lines: [{ sku: 'MUG', quantity: 3 }] })).body).toMatchObject({ code: 'RETURN_QUANTITY_EXCEEDED' });
    expect((await post(`/v1/returns/${ret.id}/inspect`, { lines: [{ sku: 'MUG', quantity: 2, grade: 'A' }] })).body).toMatchObject({ code: 'RETURN_NOT_INSPECTABLE' });
    // A platform is no warehouse.
    expect((await world.sut.http().post(`/v1/returns/${ret.id}/receive`).set(asPlatform(tenantId)).set(anIdempotencyKey()).send({})).status).toBe(403);

    expect((await post(`/v1/returns/${ret.id}/receive`, {})).status).toBe(202);
    await world.probe.next(RecordReturnReceiptV1, (p) => p.returnId === ret.id);
    world.probe.publish(ReturnReceiptRefusedV1, { returnId: ret.id, code: 'RETURN_NOT_EXPECTED', reason: 'no receipt open', command: 'warehouse.record-return-receipt' }, { tenantId, correlationId: ret.id });
    const refused = await waitFor('the refusal shown', async () => {
      const view = (await world.sut.http().get(`/v1/returns/${ret.id}`).set(asPlatform(tenantId))).body;
      return view.refusal ? view : undefined;
    });
    expect(refused).toMatchObject({ status: 'approved', refusal: { code: 'RETURN_NOT_EXPECTED' } });
    // Recorded again, with other quantities now allowed; the warehouse answers this time.
    expect((await post(`/v1/returns/${ret.id}/receive`, { lines: [{ sku: 'MUG', quantity: 1 }] })).status).toBe(202);
    await world.probe.next(RecordReturnReceiptV1, (p) => p.returnId === ret.id && p.lines[0].quantity === 1);
    world.probe.publish(ReturnReceivedV1, { returnId: ret.id, rmaNumber: ret.rmaNumber, orderId: ret.orderId, warehouse: 'WH-1', lines: [{ sku: 'MUG', quantity: 1 }], receivedAt: new Date().toISOString() }, { tenantId, correlationId: ret.id });
    await world.status(tenantId, ret.id, 'received');
    expect((await post(`/v1/returns/${ret.id}/inspect`, { lines: [{ sku: 'MUG', quantity: 2, grade: 'A' }] })).body).toMatchObject({ code: 'RETURN_INSPECTION_MISMATCH' });
    // Received goods cannot be cancelled.
    expect((await world.sut.http().post(`/v1/returns/${ret.id}/cancel`).set(asPlatform(tenantId)).set(anIdempotencyKey()).send({})).body).toMatchObject({ code: 'RETURN_NOT_CANCELLABLE' });
  });

  it('exchange: a replacement order, linked both ways; delivered → closed; a cancelled replacement is refunded instead', async () => {
    const tenantId = shop();
    const delivered = await anApprovedReturn(tenantId, 'exchange', [{ sku: 'MUG', quantity: 1, unitPrice: '8' }], [{ sku: 'MUG', quantity: 1 }]);
    const cancelled = await anApprovedReturn(tenantId, 'exchange', [{ sku: 'PLATE', quantity: 2, unitPrice: '6' }], [{ sku: 'PLATE', quantity: 2 }]);
    for (const [ret, sku, quantity] of [[delivered, 'MUG', 1], [cancelled, 'PLATE', 2]] as const) {
      const graded = [{ sku, quantity, grade: 'B' as const }];
      const { meta, ref } = await receiveAndInspect(tenantId, ret, [{ sku, quantity }], graded);
      world.probe.publish(ReturnedStockBookedV1, { ...ref, lines: graded, bookedAt: new Date().toISOString() }, meta);
      const place = await world.probe.next(PlaceReplacementOrderV1, (p) => p.returnId === ret.id);
      expect(place.payload).toEqual({ returnId: ret.id, rmaNumber: ret.rmaNumber, orderId: ret.orderId, lines: [{ sku, quantity }] });
      const replacementOrderId = randomUUID();
      world.probe.publish(ReplacementOrderPlacedV1, { returnId: ret.id, rmaNumber: ret.rmaNumber, orderId: ret.orderId, replacementOrderId, externalId: `EXT-${ret.orderId}/${ret.rmaNumber}` }, meta);
      expect((await world.status(tenantId, ret.id, 'exchanged')).replacementOrderId).toBe(replacementOrderId);
      const customer = { id: 'C-1', name: 'Ada', email: 'ada@example.com' };
      const status = ret === delivered ? 'delivered' : 'cancelled';
      world.probe.publish(OrderStatusChangedV1, { orderId: replacementOrderId, externalId: 'x', status, previousStatus: null, reason: status === 'cancelled' ? 'STOCK_SHORT' : null, customer, shipments: [], changedAt: new Date().toISOString() }, { tenantId, correlationId: replacementOrderId });
    }
    expect((await world.status(tenantId, delivered.id, 'closed')).statusReason).toBe('REPLACEMENT_DELIVERED');
    const refund = await world.probe.next(ReturnRefundRequestedV1, (p) => p.returnId === cancelled.id);
    expect(refund.payload.amount).toBe('12');
    expect((await world.status(tenantId, cancelled.id, 'closed')).refundAmount).toBe('12');
  });

  it('exchange: a replacement cancelled at once, heard of before its placement, is refunded; the late placement changes nothing', async () => {
    const tenantId = shop();
    const ret = await anApprovedReturn(tenantId, 'exchange', [{ sku: 'BOWL', quantity: 2, unitPrice: '7' }], [{ sku: 'BOWL', quantity: 2 }]);
    const graded = [{ sku: 'BOWL', quantity: 2, grade: 'B' as const }];
    const { meta, ref } = await receiveAndInspect(tenantId, ret, [{ sku: 'BOWL', quantity: 2 }], graded);
    world.probe.publish(ReturnedStockBookedV1, { ...ref, lines: graded, bookedAt: new Date().toISOString() }, meta);
    await world.probe.next(PlaceReplacementOrderV1, (p) => p.returnId === ret.id);
    const replacementOrderId = randomUUID();
    const customer = { id: 'C-1', name: 'Ada', email: 'ada@example.com' };
    // Orders placed the replacement and cancelled it (stock short) in one go; the returns service
    // handles the cancellation first.
    world.probe.publish(
      OrderStatusChangedV1,
      { orderId: replacementOrderId, externalId: 'x', status: 'cancelled', previousStatus: 'received', reason: 'STOCK_SHORT', customer, shipments: [], changedAt: new Date().toISOString(), replacementFor: { returnId: ret.id, rmaNumber: ret.rmaNumber } },
      { tenantId, correlationId: replacementOrderId },
    );
    const refund = await world.probe.next(ReturnRefundRequestedV1, (p) => p.returnId === ret.id);
    expect(refund.payload.amount).toBe('14');
    const closed = await world.status(tenantId, ret.id, 'closed');
    expect(closed).toMatchObject({ refundAmount: '14', replacementOrderId });
    const placed = world.probe.publish(ReplacementOrderPlacedV1, { returnId: ret.id, rmaNumber: ret.rmaNumber, orderId: ret.orderId, replacementOrderId, externalId: `EXT-${ret.orderId}/${ret.rmaNumber}` }, meta);
    await waitFor('the late placement logged as ignored', async () =>
      ((await world.sut.dataSource.query(`SELECT 1 FROM saga_step WHERE saga_id = $1 AND message_id = $2 AND reason LIKE 'ignored%'`, [ret.id, placed.id])) as unknown[]).length > 0 || undefined,
    );
    expect((await world.sut.http().get(`/v1/returns/${ret.id}`).set(asPlatform(tenantId))).body).toMatchObject({ status: 'closed', refundAmount: '14' });
  });

  it('an order status that concerns no return is acked without a transaction (no inbox record); delivered and cancelled are still handled', async () => {
    const tenantId = shop();
    const ignored = new Set<string>();
    const consumer = world.sut.app.get(MessageConsumer);
    const onIgnored = (envelope: MessageEnvelope) => ignored.add(envelope.id);
    consumer.on('ignored', onIgnored);
    try {
      const customer = { id: 'C-1', name: 'Ada', email: 'ada@example.com' };
      const status = (orderId: string, to: OrderStatus) =>
        world.probe.publish(OrderStatusChangedV1, { orderId, externalId: 'x', status: to, previousStatus: null, reason: null, customer, shipments: [], changedAt: new Date().toISOString() }, { tenantId, correlationId: orderId });
      const orderId = randomUUID();
      const passing = (['received', 'reserved', 'released', 'picking', 'packed', 'shipped'] as const).map((to) => status(orderId, to));
      const concerning = [status(orderId, 'delivered'), status(randomUUID(), 'cancelled')];

      await waitFor('the passing statuses acked unhandled', () => passing.every((m) => ignored.has(m.id)));
      const inboxed = async (ids: string[]) =>
        ((await world.sut.dataSource.query(`SELECT message_id FROM inbox_message WHERE message_id = ANY($1)`, [ids])) as Array<{ message_id: string }>).map((r) => r.message_id);
      await waitFor('delivered and cancelled handled (inbox records)', async () => (await inboxed(concerning.map((m) => m.id))).length === 2);
      expect(await inboxed(passing.map((m) => m.id))).toEqual([]);
      expect(concerning.some((m) => ignored.has(m.id))).toBe(false);
    } finally {
      consumer.off('ignored', onIgnored);
    }
  });

  it('deadlines: a review past the answer time is overdue (not decided); goods that never arrive cancel the return through the warehouse', async () => {
    const tenantId = shop();
    await world.sut.http().put(`/v1/platforms/${tenantId}/return-policy`).set(asStaff(['admin'])).set(anIdempotencyKey()).send({ reviewReasons: ['DAMAGED'] });
    const orderId = await world.deliveredOrder(tenantId, [{ sku: 'MUG', quantity: 2, unitPrice: '5' }]);
    const waiting = (await world.ask(tenantId, { orderId, lines: [{ sku: 'MUG', quantity: 1, reasonCode: 'DAMAGED' }], resolution: 'refund' })).body;
    const never = (await world.ask(tenantId, { orderId, lines: [{ sku: 'MUG', quantity: 1, reasonCode: 'CHANGED_MIND' }], resolution: 'refund' })).body;
    expect([waiting.status, never.status]).toEqual(['requested', 'approved']);
    await world.sut.dataSource.query(`UPDATE saga SET deadline_at = now() - interval '1 second' WHERE id = ANY($1)`, [[waiting.id, never.id]]);
    const scheduler = world.sut.app.get(ReturnSagaScheduler);
    expect(await scheduler.runOnce()).toBe(2);

    const overdue = (await world.sut.http().get(`/v1/returns?status=requested&orderId=${orderId}`).set(asStaff(['reviewer']))).body.items[0];
    expect(overdue).toMatchObject({ id: waiting.id, status: 'requested', overdue: true, deadlineAt: null });
    const metrics = (await world.sut.http().get('/metrics')).text;
    expect(metrics).toMatch(/^skald_returns_open\{status="requested",overdue="true"\} [1-9]/m);
    const told = await world.probe.next(CancelExpectedReturnV1, (p) => p.returnId === never.id);
    expect(told.payload.reason).toBe('RETURN_NOT_RECEIVED: the goods did not arrive in time');
    const view = (await world.sut.http().get(`/v1/returns/${never.id}`).set(asPlatform(tenantId))).body;
    expect(view).toMatchObject({ status: 'approved', statusReason: 'RETURN_NOT_RECEIVED: the goods did not arrive in time' });
    expect(await scheduler.runOnce()).toBe(0);
  });

  it('re-sends an unanswered booking with back-off, stuck after the last re-send and still re-sent; re-sends an unanswered cancellation', async () => {
    const tenantId = shop();
    const scheduler = world.sut.app.get(ReturnSagaScheduler);
    const sent = (routingKey: string, id: string) => world.probe.received.filter((m) => m.routingKey === routingKey && (m.payload as { returnId: string }).returnId === id).length;
    const due = (id: string, resends?: number) =>
      world.sut.dataSource.query(
        `UPDATE saga SET deadline_at = now() - interval '1 second'${resends === undefined ? '' : `, data = jsonb_set(data, '{resends}', to_jsonb($2::int))`} WHERE id = $1`,
        resends === undefined ? [id] : [id, resends],
      );

    const ret = await anApprovedReturn(tenantId, 'refund', [{ sku: 'MUG', quantity: 1, unitPrice: '5' }], [{ sku: 'MUG', quantity: 1 }]);
    const { meta, ref } = await receiveAndInspect(tenantId, ret, [{ sku: 'MUG', quantity: 1 }], [{ sku: 'MUG', quantity: 1, grade: 'A' }]);
    await due(ret.id);
    await scheduler.runOnce();
    await waitFor('the booking re-sent', () => (sent(BookReturnedStockV1.routingKey, ret.id) === 2 ? true : undefined));
    const [{ deadline_at: next }] = await world.sut.dataSource.query(`SELECT deadline_at FROM saga WHERE id = $1`, [ret.id]);
    expect(next.getTime()).toBeGreaterThan(Date.now());
    expect((await world.sut.http().get(`/v1/returns/${ret.id}`).set(asPlatform(tenantId))).body.stuck).toBe(false);
    // Past the last re-send (SAGA_MAX_RESENDS, 5 by default): stuck, and the booking is still asked for.
    await due(ret.id, 5);
    await scheduler.runOnce();
    await waitFor('the booking re-sent again', () => (sent(BookReturnedStockV1.routingKey, ret.id) === 3 ? true : undefined));
    expect((await world.sut.http().get(`/v1/returns/${ret.id}`).set(asPlatform(tenantId))).body).toMatchObject({ status: 'inspected', stuck: true });
    // The answer, late, still finishes the return.
    world.probe.publish(ReturnedStockBookedV1, { ...ref, lines: [{ sku: 'MUG', quantity: 1, grade: 'A' }], bookedAt: new Date().toISOString() }, meta);
    expect(await world.status(tenantId, ret.id, 'closed')).toMatchObject({ refundAmount: '5', stuck: false });

    const withdrawn = await anApprovedReturn(tenantId, 'refund', [{ sku: 'MUG', quantity: 1, unitPrice: '5' }], [{ sku: 'MUG', quantity: 1 }]);
    await world.sut.http().post(`/v1/returns/${withdrawn.id}/cancel`).set(asPlatform(tenantId)).set(anIdempotencyKey()).send({});
    await world.probe.next(CancelExpectedReturnV1, (p) => p.returnId === withdrawn.id);
    await due(withdrawn.id);
    await scheduler.runOnce();
    await waitFor('the cancellation re-sent', () => (sent(CancelExpectedReturnV1.routingKey, withdrawn.id) === 2 ? true : undefined));
  });

  it('never cancels goods being received: past the wait, the receipt is asked for again instead', async () => {
    const tenantId = shop();
    const ret = await anApprovedReturn(tenantId, 'refund', [{ sku: 'MUG', quantity: 1, unitPrice: '5' }], [{ sku: 'MUG', quantity: 1 }]);
    expect((await post(`/v1/returns/${ret.id}/receive`, {})).status).toBe(202);
    await world.probe.next(RecordReturnReceiptV1, (p) => p.returnId === ret.id);
    await world.sut.dataSource.query(`UPDATE saga SET deadline_at = now() - interval '1 second' WHERE id = $1`, [ret.id]);
    await world.sut.app.get(ReturnSagaScheduler).runOnce();
    await waitFor('the receipt asked for again', () => (world.probe.received.filter((m) => m.routingKey === RecordReturnReceiptV1.routingKey && (m.payload as { returnId: string }).returnId === ret.id).length === 2 ? true : undefined));
    expect(world.probe.received.some((m) => m.routingKey === CancelExpectedReturnV1.routingKey && (m.payload as { returnId: string }).returnId === ret.id)).toBe(false);
    expect((await world.sut.http().get(`/v1/returns/${ret.id}`).set(asPlatform(tenantId))).body.status).toBe('approved');
  });
});
