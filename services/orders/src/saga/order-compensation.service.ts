import { Injectable, Logger } from '@nestjs/common';
import {
  CancelOutboundNotesV1,
  ReleaseStockV1,
  type OutboundNotesCancelled,
  type ReservationExpired,
  type StockReleased,
  lineTotal, toUnits
} from '@skald/contracts';
import { compensationPlan, nextCompensation } from '@skald/saga';
import type { EntityManager } from 'typeorm';
import { OrdersRepository } from '../orders/orders.repository.js';
import { CANCELLABLE_STATES, ORDER_SAGA, type Cancellation } from './order-saga.definition.js';
import { OrderSagaStore } from './order-saga.store.js';
import { beyond, describeLines, quantitiesBySku } from './quantities.js';
import { DEADLINE, remainingLines, SagaSteps, type Incoming, type SagaStep, type Send } from './saga-steps.js';

export interface CancelCause {
  /** Stable code: CANCELLED_BY_CUSTOMER, BACKORDER_DEADLINE, RESERVATION_EXPIRED, REVIEW_TIMEOUT… */
  code: string;
  reason: string;
  requestedBy: string;
}

/**
 * Compensation of the order saga. A cancellation undoes the completed steps in reverse order —
 * cancel the outbound notes (the warehouse puts picked goods back), then release the stock, then
 * instruct a refund of a paid order and tell the customer — one step at a time, each waiting for
 * its reply. Each command is idempotent; the saga scheduler re-sends an unanswered one with
 * back-off until it is answered, and marks the saga stuck (visible) after SAGA_MAX_RESENDS.
 */
@Injectable()
export class OrderCompensation {
  private readonly logger = new Logger(OrderCompensation.name);

  constructor(
    private readonly steps: SagaSteps,
    private readonly orders: OrdersRepository,
    private readonly sagas: OrderSagaStore,
  ) {}

  /**
   * Starts cancelling the order (saga state `cancelling`; the order keeps its status until done).
   * `then: 'reserve_again'` compensates and then reserves anew (an expired backorder).
   */
  async start(manager: EntityManager, step: SagaStep, send: Send, cause: CancelCause, incoming?: Incoming, then: Cancellation['then'] = 'cancel'): Promise<void> {
    const { saga } = step;
    const cancellation: Cancellation = {
      code: cause.code,
      reason: cause.reason,
      requestedBy: cause.requestedBy,
      requestedAt: new Date().toISOString(),
      then,
      from: saga.state,
      ...compensationPlan(ORDER_SAGA.undoable, (step) => (step === 'notes' ? Boolean(saga.data.notesRequested) : Boolean(saga.data.reserveAttempt))),
    };
    if (then === 'reserve_again') {
      // Releasing "all" would also refuse any later reserve of the order: name what to release.
      const reservations = await this.orders.reservations(manager, step.order.id);
      cancellation.releaseIds = reservations.filter((r) => !r.released).map((r) => r.reservationId);
    }
    saga.data = { ...saga.data, cancellation };
    await this.sagas.enter(manager, saga, 'cancelling', `${cause.code}: ${cause.reason}`, incoming);
    await this.steps.log(manager, saga, 'compensation', incoming, {
      reason: `${cause.code} by ${cause.requestedBy}: compensate notes ${cancellation.notes}, stock ${cancellation.stock}`,
    });
    await this.next(manager, step, send, incoming);
  }

  /**
   * Cancels an order that holds nothing (no reservation, no note): refund, status, notification.
   * The refund is what was paid for the lines still on the order — never more than they are worth
   * (an order paid beyond its lines was held for AMOUNT_MISMATCH; its surplus is the reviewer's to
   * settle), nor more than is left of the payment (lines cancelled before were refunded then).
   */
  async cancelNow(manager: EntityManager, step: SagaStep, send: Send, code: string, reason: string, incoming?: Incoming): Promise<void> {
    step.saga.data = { ...step.saga.data, backorderOpen: false, backorderDeadline: null };
    const lines = await this.orders.lines(manager, step.order.id);
    const worth = toUnits(lineTotal(lines.map((line) => ({ unitPrice: line.unitPrice, quantity: line.quantity - line.cancelledQuantity }))));
    await this.steps.refund(manager, step, send, { key: 'cancelled', amount: worth, scope: 'order_cancelled', reason: code });
    await this.steps.moveTo(manager, step, 'cancelled', 'cancelled', `${code}: ${reason}`, send, incoming);
  }

  /** The warehouse cancelled the order's open notes (and listed the ones that had shipped). */
  async notesCancelled(manager: EntityManager, event: OutboundNotesCancelled, send: Send, incoming: Incoming): Promise<void> {
    const step = await this.steps.begin(manager, event.orderId, incoming);
    if (!step) return;
    const { order, saga } = step;
    const cancellation = saga.data.cancellation;
    if (!cancellation || cancellation.notes !== 'pending') {
      await this.steps.log(manager, saga, 'message_received', incoming, { reason: 'notes compensation answered before: ignored' });
      return;
    }
    await this.orders.cancelNotes(manager, order.id, event.cancelled);
    const shipped = event.shipped.map((note) => note.noteId);
    cancellation.notes = 'done';
    if (shipped.length > 0) {
      // The cancellation lost the race against a shipment: keep what those notes hold (inventory
      // consumes it), release the rest.
      const notes = await this.orders.notes(manager, order.id);
      const shippedAt = new Set(notes.filter((n) => shipped.includes(n.noteId)).map((n) => `${n.warehouse}:${n.batch}`));
      const shippedWarehouses = new Set(event.shipped.map((n) => n.warehouse));
      const reservations = await this.orders.reservations(manager, order.id);
      cancellation.shippedNotes = shipped;
      cancellation.releaseIds = reservations
        .filter((r) => !r.released && !shippedAt.has(`${r.warehouse}:${r.batch}`) && !(shippedAt.size === 0 && shippedWarehouses.has(r.warehouse)))
        .map((r) => r.reservationId);
    }
    saga.data = { ...saga.data, cancellation };
    await this.steps.log(manager, saga, 'compensation', incoming, {
      reason: `notes cancelled: ${event.cancelled.length}${shipped.length ? `; had shipped: ${shipped.join(', ')}` : ''}`,
    });
    await this.next(manager, step, send, incoming);
  }

  /** Inventory released stock: a cancellation's, a partial order's cancelled rest, or a stray reservation. */
  async stockReleased(manager: EntityManager, event: StockReleased, send: Send, incoming: Incoming): Promise<void> {
    const step = await this.steps.begin(manager, event.orderId, incoming);
    if (!step) return;
    const { order, saga } = step;
    await this.orders.releaseReservations(manager, order.id, event.released.map((r) => r.reservationId));
    const cancellation = saga.data.cancellation;
    if (saga.state === 'cancelling' && cancellation?.stock === 'pending' && event.reason === this.releaseReason(cancellation)) {
      cancellation.stock = 'done';
      saga.data = { ...saga.data, cancellation };
      await this.steps.log(manager, saga, 'compensation', incoming, {
        reason: `stock released: ${describeLines(event.released)}${event.backorderEnded.length ? `; backorder ended: ${describeLines(event.backorderEnded)}` : ''}`,
      });
      await this.next(manager, step, send, incoming);
      return;
    }
    if (saga.data.restRelease && event.reason === saga.data.restRelease) {
      saga.data = { ...saga.data, restRelease: null };
      await this.sagas.save(manager, saga);
    }
    await this.steps.log(manager, saga, 'compensation', incoming, { reason: `stock released (${event.reason}): ${describeLines(event.released)}` });
  }

  /**
   * Inventory's hold on reservations ran out. An order that has shipped nothing is cancelled (or,
   * with the backorder policy, compensated and reserved again at the back of the queue); a partial
   * order's held rest is cancelled; anything else only gets those reservations released.
   */
  async reservationExpired(manager: EntityManager, event: ReservationExpired, send: Send, incoming: Incoming): Promise<void> {
    const step = await this.steps.begin(manager, event.orderId, incoming);
    if (!step) return;
    const { order, saga } = step;
    const ids = event.reservations.map((r) => r.reservationId);
    if (saga.state === 'cancelling' && saga.data.cancellation?.stock === 'pending' && !saga.data.cancellation.releaseIds) return; // all of it is being released
    // Only reservations the order counts on decide its fate; others (an earlier attempt's late
    // allocation) are just given back.
    const held = new Set((await this.orders.reservations(manager, order.id)).filter((r) => !r.released).map((r) => r.reservationId));
    if (!ids.some((id) => held.has(id))) {
      await this.releaseStray(manager, step, send, ids, 'RESERVATION_EXPIRED');
      return;
    }
    const notes = await this.orders.notes(manager, order.id);
    const shippedSome = notes.some((n) => n.status === 'shipped' || n.status === 'delivered');
    if (CANCELLABLE_STATES.includes(saga.state) && !shippedSome) {
      const backorder = order.shortagePolicy?.mode === 'backorder';
      await this.start(manager, step, send, { code: 'RESERVATION_EXPIRED', reason: `reservations held too long: ${describeLines(event.reservations)}`, requestedBy: 'inventory' }, incoming, backorder ? 'reserve_again' : 'cancel');
      return;
    }
    if (saga.state === 'fulfilling' && saga.data.backorderOpen) {
      await this.cancelRest(manager, step, send, 'RESERVATION_EXPIRED');
      return;
    }
    await this.releaseStray(manager, step, send, ids, 'RESERVATION_EXPIRED');
  }

  /**
   * A partial order's backordered rest is given up (its deadline passed, or its hold expired):
   * what inventory holds for it is released, the backorder ends, the rest's quantities are
   * cancelled and refunded, and the order goes on with what it has.
   */
  async cancelRest(manager: EntityManager, step: SagaStep, send: Send, code: string): Promise<void> {
    const { order, saga } = step;
    const reservations = await this.orders.reservations(manager, order.id);
    const rest = reservations.filter((r) => r.batch === 2 && !r.released);
    const keep = quantitiesBySku(reservations.filter((r) => r.batch === 1 && !r.released));
    const reason = `${code}: backordered rest cancelled`;
    saga.data = { ...saga.data, backorderOpen: false, backorderDeadline: null, restRelease: reason };
    await this.steps.command(manager, saga, send, ReleaseStockV1, { orderId: order.id, reason, reservationIds: rest.map((r) => r.reservationId), endBackorder: true }, 'compensation');
    await this.cancelQuantities(manager, step, send, keep, 'rest', reason);
    await this.sagas.reschedule(manager, saga);
  }

  /**
   * Cancels what the order's remaining lines want beyond `keep` (per SKU), refunding it when paid.
   */
  async cancelQuantities(manager: EntityManager, step: SagaStep, send: Send, keep: ReadonlyMap<string, number>, refundKey: string, reason: string): Promise<void> {
    const lines = await this.orders.lines(manager, step.order.id);
    const cancel = beyond(quantitiesBySku(remainingLines(lines)), keep);
    if (cancel.size === 0) return;
    const before = lineTotal(lines.map((l) => ({ unitPrice: l.unitPrice, quantity: l.cancelledQuantity })));
    await this.orders.cancelQuantities(manager, lines, cancel);
    const after = lineTotal(lines.map((l) => ({ unitPrice: l.unitPrice, quantity: l.cancelledQuantity })));
    await this.steps.log(manager, step.saga, 'compensation', undefined, { reason: `${reason}: ${describeLines([...cancel].map(([sku, quantity]) => ({ sku, quantity })))}` });
    await this.steps.refund(manager, step, send, { key: refundKey, amount: toUnits(after) - toUnits(before), scope: 'lines_cancelled', reason });
  }

  /** Releases reservations the order no longer needs (late allocation, expiry after the fact). Idempotent in inventory. */
  async releaseStray(manager: EntityManager, { order, saga }: SagaStep, send: Send, reservationIds: string[], code: string): Promise<void> {
    if (reservationIds.length === 0) return;
    await this.steps.command(manager, saga, send, ReleaseStockV1, { orderId: order.id, reason: `${code}: not needed`, reservationIds, endBackorder: false }, 'compensation');
  }

  /** The scheduler's re-send of the compensation command the saga waits on. */
  async resend(manager: EntityManager, step: SagaStep, send: Send): Promise<void> {
    await this.next(manager, step, send, DEADLINE);
  }

  /** Sends the next compensation that is still pending, or finishes when none is. */
  private async next(manager: EntityManager, step: SagaStep, send: Send, incoming?: Incoming): Promise<void> {
    const { order, saga } = step;
    const cancellation = saga.data.cancellation;
    if (!cancellation) throw new Error(`saga ${saga.id} is cancelling without a cancellation`);
    const undo = nextCompensation(ORDER_SAGA.undoable, cancellation);
    if (undo === 'notes') {
      await this.steps.command(manager, saga, send, CancelOutboundNotesV1, { orderId: order.id, reason: `${cancellation.code}: ${cancellation.reason}` }, 'compensation');
      await this.sagas.save(manager, saga);
      return;
    }
    if (undo === 'stock') {
      await this.steps.command(
        manager,
        saga,
        send,
        ReleaseStockV1,
        cancellation.releaseIds
          ? { orderId: order.id, reason: this.releaseReason(cancellation), reservationIds: cancellation.releaseIds, endBackorder: true }
          : { orderId: order.id, reason: this.releaseReason(cancellation) },
        'compensation',
      );
      await this.sagas.save(manager, saga);
      return;
    }
    await this.finish(manager, step, send, cancellation, incoming);
  }

  private async finish(manager: EntityManager, step: SagaStep, send: Send, cancellation: Cancellation, incoming?: Incoming): Promise<void> {
    const { order, saga } = step;
    if (cancellation.then === 'reserve_again') {
      await this.orders.releaseReservations(manager, order.id, 'all');
      saga.data = { ...saga.data, cancellation: undefined, notesRequested: false, notesSent: [], expectedNotes: 0, backorderOpen: false };
      await this.steps.moveTo(manager, step, 'approved', 'reserving', `${cancellation.code}: reserving again`, send, incoming);
      await this.steps.reserve(manager, step, send);
      return;
    }
    if (cancellation.shippedNotes?.length) {
      // Some notes had shipped: the order is not cancelled, the rest of it is.
      const notes = await this.orders.notes(manager, order.id);
      const shipped = notes.filter((n) => n.status !== 'cancelled');
      const keep = quantitiesBySku(shipped.flatMap((n) => n.lines ?? []));
      await this.cancelQuantities(manager, step, send, keep, 'unshipped', `${cancellation.code}: too late for shipped notes`);
      saga.data = { ...saga.data, cancellation: undefined, backorderOpen: false, backorderDeadline: null, expectedNotes: shipped.length };
      await this.steps.moveTo(manager, step, 'shipped', 'awaiting_delivery', `${cancellation.code}: cancellation too late for ${cancellation.shippedNotes.length} shipped note(s); the rest is cancelled`, send, incoming);
      // Delivered while the compensation ran (recorded, not acted on while cancelling): done now.
      if (shipped.length > 0 && shipped.every((n) => n.status === 'delivered')) {
        await this.steps.moveTo(manager, step, 'delivered', 'completed', 'delivered while the cancellation ran', send, incoming);
      }
      return;
    }
    await this.cancelNow(manager, step, send, cancellation.code, cancellation.reason, incoming);
  }

  /** The reason a cancellation's release carries (and its reply echoes): tells it from other releases. */
  private releaseReason(cancellation: Cancellation): string {
    return `${cancellation.code}: cancellation requested ${cancellation.requestedAt}`;
  }
}
