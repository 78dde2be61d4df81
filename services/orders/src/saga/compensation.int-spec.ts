import {
  CancelOutboundNotesV1,
  CreateOutboundNotesV1,
  OutboundNotesCancelledV1,
  OutboundNoteShippedV1,
  OutboundNotesCreatedV1,
  RefundRequestedV1,
  ReleaseStockV1,
  ReservationExpiredV1,
  ReserveStockV1,
  ReviewOrderV1,
  ShipmentDeliveredV1,
  StockReleasedV1,
  StockReservedV1,
} from '@skald/contracts';
import { asPlatform, waitFor } from '@skald/testing';
import { randomUUID } from 'node:crypto';
import { aCatalogItem, anOrder, aPlatform } from '../../test/factories.js';
import { OrdersWorld } from '../../test/orders-world.js';
import { SagaScheduler } from './saga-scheduler.js';

/**
 * The saga's compensation and deadlines with a broker probe playing inventory and warehouse, so
 * every stage can be held still: cancellation while received and while reserved, compensation
 * commands in reverse order, re-sent until answered and shown stuck, each waiting state's
 * deadline, and a reservation expiry that reserves again.
 */
describe('order saga compensation and deadlines (real PostgreSQL and RabbitMQ)', () => {
  const world = new OrdersWorld();
  let scheduler: SagaScheduler;

  beforeAll(async () => {
    // The scheduler is driven by the tests (runOnce), not by its timer.
    await world.start([ReserveStockV1, CreateOutboundNotesV1, CancelOutboundNotesV1, ReleaseStockV1, RefundRequestedV1], {
      SAGA_SCHEDULER_INTERVAL_MS: '3600000',
      SAGA_MAX_RESENDS: '2',
      SAGA_REPLY_TIMEOUT_MS: '100',
    });
    scheduler = world.sut.app.get(SagaScheduler);
  });
  afterAll(() => world.stop());

  const cancel = (tenantId: string, id: string) => world.sut.http().post(`/v1/orders/${id}/cancel`).set(asPlatform(tenantId)).send({ reason: 'changed my mind' });
  /** Makes the saga's deadline due now, as time passing would. */
  const due = (id: string) => world.sut.dataSource.query(`UPDATE saga SET deadline_at = now() - interval '1 second' WHERE id = $1`, [id]);
  const saga = async (id: string) => (await world.sut.dataSource.query(`SELECT state, deadline_at, data FROM saga WHERE id = $1`, [id]))[0];

  async function reservedOrder(policy?: object) {
    const { tenantId } = await world.platform(aPlatform());
    const item = aCatalogItem();
    await world.catalog(item);
    const id = await world.place(tenantId, anOrder([{ sku: item.sku, quantity: 2, unitPrice: 10 }], policy ? { shortagePolicy: policy } as object : {}));
    const reserve = await world.probe.next(ReserveStockV1, (p) => p.orderId === id);
    const reservations = [{ reservationId: randomUUID(), warehouse: 'WH-A', sku: item.sku, quantity: 2 }];
    world.probe.publish(StockReservedV1, { orderId: id, reservations, attempt: reserve.payload.attempt }, { tenantId, correlationId: id });
    await world.probe.next(CreateOutboundNotesV1, (p) => p.orderId === id);
    await world.status(tenantId, id, 'reserved');
    return { tenantId, id, item, reservations, reserve };
  }

  it('received (its review waiting for the platform): cancelled at once, nothing to undo, the payment refunded', async () => {
    const platform = aPlatform();
    const item = aCatalogItem();
    await world.catalog(item);
    // The platform's registration has not reached orders yet: review waits, the order stays received.
    const id = await world.place(platform.tenantId, anOrder([{ sku: item.sku, quantity: 1, unitPrice: 10 }]));
    const res = await cancel(platform.tenantId, id);
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ id, status: 'cancelled', cancellation: 'cancelled' });
    const order = await world.order(platform.tenantId, id);
    expect(order.statusHistory.map((h: { status: string }) => h.status)).toEqual(['received', 'cancelled']);
    const refund = await world.probe.next(RefundRequestedV1, (p) => p.orderId === id);
    expect(refund.payload).toMatchObject({ refundId: `${id}:cancelled`, amount: '10', scope: 'order_cancelled', reason: 'CANCELLED' });
    // A review arriving late (the platform registered meanwhile) changes nothing.
    await world.platform(platform);
    world.probe.publish(ReviewOrderV1, { orderId: id }, { tenantId: platform.tenantId, correlationId: id });
    await waitFor('late review ignored', async () => (await world.sut.dataSource.query(`SELECT 1 FROM saga_step WHERE saga_id = $1 AND reason = 'ignored in state cancelled'`, [id])).length > 0);
    expect(world.probe.messages(ReserveStockV1, (p) => p.orderId === id)).toEqual([]);
    expect((await world.order(platform.tenantId, id)).status).toBe('cancelled');
  });

  it('a refund never exceeds what the cancelled lines are worth: an order paid 100 for lines worth 25, held for AMOUNT_MISMATCH and cancelled, refunds 25', async () => {
    const { tenantId } = await world.platform(aPlatform());
    const item = aCatalogItem({ listPrice: '12.5' });
    await world.catalog(item);
    const id = await world.place(tenantId, anOrder([{ sku: item.sku, quantity: 2, unitPrice: 12.5 }], { payment: { method: 'card', status: 'paid', amount: 100 } }));
    expect((await world.status(tenantId, id, 'on_hold')).review.reasons.map((r: { code: string }) => r.code)).toEqual(['AMOUNT_MISMATCH']);
    expect((await cancel(tenantId, id)).status).toBe(202);
    const refund = await world.probe.next(RefundRequestedV1, (p) => p.orderId === id);
    expect(refund.payload).toMatchObject({ refundId: `${id}:cancelled`, amount: '25', scope: 'order_cancelled' });
    await world.status(tenantId, id, 'cancelled');
    expect(world.probe.messages(RefundRequestedV1, (p) => p.orderId === id)).toHaveLength(1);
  });

  it('reserved: notes cancelled first, then stock released, then refund and cancelled — each step waits for its answer', async () => {
    const { tenantId, id } = await reservedOrder();
    const res = await cancel(tenantId, id);
    expect(res.body).toEqual({ id, status: 'reserved', cancellation: 'compensating' });
    const cancelNotes = await world.probe.next(CancelOutboundNotesV1, (p) => p.orderId === id);
    expect(cancelNotes.payload.noteIds).toBeUndefined();
    expect(world.probe.messages(ReleaseStockV1, (p) => p.orderId === id)).toEqual([]);

    world.probe.publish(OutboundNotesCancelledV1, { orderId: id, reason: cancelNotes.payload.reason, cancelled: [], shipped: [] }, { tenantId, correlationId: id });
    const release = await world.probe.next(ReleaseStockV1, (p) => p.orderId === id);
    expect(release.payload.reservationIds).toBeUndefined();
    expect((await world.order(tenantId, id)).status).toBe('reserved');
    expect(world.probe.messages(RefundRequestedV1, (p) => p.orderId === id)).toEqual([]);

    world.probe.publish(StockReleasedV1, { orderId: id, reason: release.payload.reason, released: [], backorderEnded: [] }, { tenantId, correlationId: id });
    const cancelled = await world.status(tenantId, id, 'cancelled');
    expect(cancelled.saga).toMatchObject({ state: 'cancelled', deadlineAt: null, cancellation: { notes: 'done', stock: 'done' } });
    await world.probe.next(RefundRequestedV1, (p) => p.orderId === id);

    // A duplicate answer is ignored; nothing is sent twice.
    world.probe.publish(StockReleasedV1, { orderId: id, reason: release.payload.reason, released: [], backorderEnded: [] }, { tenantId, correlationId: id });
    world.probe.publish(OutboundNotesCancelledV1, { orderId: id, reason: 'x', cancelled: [], shipped: [] }, { tenantId, correlationId: id });
    await waitFor('duplicates logged', async () => (await world.sut.dataSource.query(`SELECT 1 FROM saga_step WHERE saga_id = $1 AND message_type = $2 AND reason LIKE 'ignored%'`, [id, OutboundNotesCancelledV1.routingKey])).length === 1);
    expect(world.probe.messages(RefundRequestedV1, (p) => p.orderId === id)).toHaveLength(1);
    expect(world.probe.messages(ReleaseStockV1, (p) => p.orderId === id)).toHaveLength(1);
  });

  it('a shipment delivered while its cancellation runs is recorded: the order ends delivered, not shipped for ever', async () => {
    const { tenantId, id, item } = await reservedOrder();
    const [noteId, shipmentId] = [randomUUID(), randomUUID()];
    world.probe.publish(OutboundNotesCreatedV1, { orderId: id, externalId: 'x', notes: [{ noteId, warehouse: 'WH-A', lines: [{ sku: item.sku, quantity: 2 }] }], batch: 1 }, { tenantId, correlationId: id });
    await world.status(tenantId, id, 'released');
    expect((await cancel(tenantId, id)).body).toMatchObject({ cancellation: 'compensating' });
    const cancelNotes = await world.probe.next(CancelOutboundNotesV1, (p) => p.orderId === id);

    // The operator was quicker: the note shipped and was delivered before the cancellation reached the warehouse.
    const now = new Date().toISOString();
    world.probe.publish(OutboundNoteShippedV1, { noteId, orderId: id, warehouse: 'WH-A', shipmentId, carrier: 'bpost', trackingNumber: 'T-1', lines: [{ sku: item.sku, quantity: 2 }], shippedAt: now }, { tenantId, correlationId: id });
    world.probe.publish(ShipmentDeliveredV1, { shipmentId, noteId, orderId: id, deliveredAt: now }, { tenantId, correlationId: id });
    await waitFor('the delivery recorded', async () => (await world.sut.dataSource.query(`SELECT 1 FROM saga_step WHERE saga_id = $1 AND message_type = $2`, [id, ShipmentDeliveredV1.routingKey])).length > 0);
    world.probe.publish(OutboundNotesCancelledV1, { orderId: id, reason: cancelNotes.payload.reason, cancelled: [], shipped: [{ noteId, warehouse: 'WH-A' }] }, { tenantId, correlationId: id });
    const release = await world.probe.next(ReleaseStockV1, (p) => p.orderId === id);
    world.probe.publish(StockReleasedV1, { orderId: id, reason: release.payload.reason, released: [], backorderEnded: [] }, { tenantId, correlationId: id });

    const delivered = await world.status(tenantId, id, 'delivered');
    expect(delivered.statusHistory.map((h: { status: string }) => h.status)).toEqual(['received', 'approved', 'reserved', 'released', 'shipped', 'delivered']);
    expect(delivered.saga).toMatchObject({ state: 'completed', deadlineAt: null });
    expect((await world.sut.dataSource.query(`SELECT reason FROM saga_step WHERE saga_id = $1 AND message_type = $2`, [id, ShipmentDeliveredV1.routingKey]))[0].reason).toBeNull();
  });

  it('an unanswered compensation is re-sent with back-off, shows as stuck after the last re-send, and still finishes when answered', async () => {
    const { tenantId, id } = await reservedOrder();
    await cancel(tenantId, id);
    await world.probe.next(CancelOutboundNotesV1, (p) => p.orderId === id);
    for (let resend = 1; resend <= 3; resend += 1) {
      await due(id);
      expect(await scheduler.runOnce()).toBeGreaterThanOrEqual(1);
      await waitFor(`re-send ${resend}`, () => world.probe.messages(CancelOutboundNotesV1, (p) => p.orderId === id).length === resend + 1);
    }
    const stuck = await world.order(tenantId, id);
    expect(stuck.saga).toMatchObject({ state: 'cancelling', stuck: true });
    expect(Date.parse(stuck.saga.deadlineAt)).toBeGreaterThan(Date.now());

    world.probe.publish(OutboundNotesCancelledV1, { orderId: id, reason: 'x', cancelled: [], shipped: [] }, { tenantId, correlationId: id });
    const release = await world.probe.next(ReleaseStockV1, (p) => p.orderId === id);
    world.probe.publish(StockReleasedV1, { orderId: id, reason: release.payload.reason, released: [], backorderEnded: [] }, { tenantId, correlationId: id });
    const cancelled = await world.status(tenantId, id, 'cancelled');
    expect(cancelled.saga.stuck).toBe(false);
  });

  it('deadlines are acted on once when several schedulers (replicas) run at the same moment', async () => {
    const { tenantId, id } = await reservedOrder();
    await cancel(tenantId, id);
    await world.probe.next(CancelOutboundNotesV1, (p) => p.orderId === id);
    await due(id);
    const acted = await Promise.all([scheduler.runOnce(), scheduler.runOnce(), scheduler.runOnce()]);
    expect(acted.reduce((sum, n) => sum + n, 0)).toBeGreaterThanOrEqual(1);
    await waitFor('one re-send', () => world.probe.messages(CancelOutboundNotesV1, (p) => p.orderId === id).length >= 2);
    const timeouts = await world.sut.dataSource.query(`SELECT count(*)::int AS n FROM saga_step WHERE saga_id = $1 AND kind = 'timeout'`, [id]);
    expect(timeouts[0].n).toBe(1);
    expect((await saga(id)).data.resends).toBe(1);
    expect(world.probe.messages(CancelOutboundNotesV1, (p) => p.orderId === id)).toHaveLength(2);
  });

  it('deadlines: an unanswered reserve is re-sent (same attempt), then the order is cancelled and whatever it may hold released', async () => {
    const { tenantId } = await world.platform(aPlatform());
    const item = aCatalogItem();
    await world.catalog(item);
    const id = await world.place(tenantId, anOrder([{ sku: item.sku, quantity: 1, unitPrice: 10 }], { payment: { method: 'card', status: 'pending', amount: 0 } }));
    await world.probe.next(ReserveStockV1, (p) => p.orderId === id);
    for (let resend = 1; resend <= 2; resend += 1) {
      await due(id);
      await scheduler.runOnce();
      await waitFor(`reserve re-sent ${resend}`, () => world.probe.messages(ReserveStockV1, (p) => p.orderId === id).length === resend + 1);
    }
    expect(world.probe.messages(ReserveStockV1, (p) => p.orderId === id).map((m) => m.payload.attempt)).toEqual([1, 1, 1]);
    await due(id);
    await scheduler.runOnce();
    const release = await world.probe.next(ReleaseStockV1, (p) => p.orderId === id);
    expect(release.payload.reason).toMatch(/^SAGA_TIMEOUT/);
    world.probe.publish(StockReleasedV1, { orderId: id, reason: release.payload.reason, released: [], backorderEnded: [] }, { tenantId, correlationId: id });
    const cancelled = await world.status(tenantId, id, 'cancelled');
    expect(cancelled.statusHistory.at(-1).reason).toMatch(/^SAGA_TIMEOUT/);
  });

  it('deadlines: a held order nobody decides is cancelled (REVIEW_TIMEOUT); a shipped order never confirmed delivered completes', async () => {
    const { tenantId } = await world.platform(aPlatform({ reviewAmountThreshold: '1' }));
    const item = aCatalogItem();
    await world.catalog(item);
    const id = await world.place(tenantId, anOrder([{ sku: item.sku, quantity: 1, unitPrice: 10 }]));
    await world.status(tenantId, id, 'on_hold');
    expect(Date.parse((await world.order(tenantId, id)).saga.deadlineAt)).toBeGreaterThan(Date.now());
    await due(id);
    await scheduler.runOnce();
    const cancelled = await world.status(tenantId, id, 'cancelled');
    expect(cancelled.statusHistory.at(-1).reason).toMatch(/^REVIEW_TIMEOUT/);

    const shipped = await reservedOrder();
    await world.sut.dataSource.query(`UPDATE saga SET state = 'awaiting_delivery', deadline_at = now() - interval '1 second' WHERE id = $1`, [shipped.id]);
    await scheduler.runOnce();
    expect((await saga(shipped.id)).state).toBe('completed');
    expect((await saga(shipped.id)).deadline_at).toBeNull();
  });

  it('reservation expiry with the backorder policy: notes cancelled, the expired reservations released by id, then reserved again (attempt 2)', async () => {
    const { tenantId, id, reservations, item } = await reservedOrder({ mode: 'backorder', backorderDeadline: new Date(Date.now() + 86_400_000).toISOString() });
    world.probe.publish(OutboundNotesCreatedV1, { orderId: id, externalId: 'x', notes: [{ noteId: randomUUID(), warehouse: 'WH-A', lines: [{ sku: item.sku, quantity: 2 }] }], batch: 1 }, { tenantId, correlationId: id });
    await world.status(tenantId, id, 'released');
    world.probe.publish(ReservationExpiredV1, { orderId: id, reservations }, { tenantId, correlationId: id });
    const cancelNotes = await world.probe.next(CancelOutboundNotesV1, (p) => p.orderId === id);
    world.probe.publish(OutboundNotesCancelledV1, { orderId: id, reason: cancelNotes.payload.reason, cancelled: [], shipped: [] }, { tenantId, correlationId: id });
    const release = await world.probe.next(ReleaseStockV1, (p) => p.orderId === id);
    expect(release.payload).toMatchObject({ reservationIds: [reservations[0].reservationId], endBackorder: true });
    world.probe.publish(StockReleasedV1, { orderId: id, reason: release.payload.reason, released: reservations, backorderEnded: [] }, { tenantId, correlationId: id });
    const again = await waitFor('second reserve', () => world.probe.messages(ReserveStockV1, (p) => p.orderId === id)[1]);
    expect(again.payload).toMatchObject({ attempt: 2, onShortage: 'backorder', lines: [{ sku: item.sku, quantity: 2 }] });
    const order = await world.order(tenantId, id);
    expect(order.statusHistory.at(-1)).toMatchObject({ status: 'approved', reason: expect.stringMatching(/^RESERVATION_EXPIRED/) });
    expect(order.saga.state).toBe('reserving');
    expect(world.probe.messages(RefundRequestedV1, (p) => p.orderId === id)).toEqual([]);
  });
});
