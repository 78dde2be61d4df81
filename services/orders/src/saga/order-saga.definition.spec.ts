import { accepts, canMove, decideDeadline, tableProblems, terminalStates } from '@skald/saga';
import {
  CANCELLABLE_STATES,
  decideAfterReservation,
  decideOrderDeadline,
  decideReview,
  ORDER_REQUESTS,
  ORDER_SAGA,
  orderSagaDeadline,
  type OrderSagaTimeouts,
} from './order-saga.definition.js';

const NOW = Date.parse('2026-12-06T12:00:00Z');
const POLICY = { replyTimeoutMs: 1_000, maxResends: 2 };
const TIMEOUTS: OrderSagaTimeouts = { reply: 1_000, reviewHold: 60_000, fulfilment: 600_000, deliveryConfirmation: 6_000_000 };

describe('order saga table', () => {
  it('is a valid table: every target declared, every waiting state with a deadline, terminal states without', () => {
    expect(tableProblems(ORDER_SAGA)).toEqual([]);
    expect(terminalStates(ORDER_SAGA)).toEqual(['completed', 'rejected', 'cancelled']);
  });

  it('may be cancelled until shipment, never after', () => {
    expect(CANCELLABLE_STATES).toEqual(['reviewing', 'awaiting_review', 'reserving', 'backordered', 'releasing', 'fulfilling']);
    for (const state of CANCELLABLE_STATES) expect(canMove(ORDER_SAGA, state, 'cancelling')).toBe(true);
    expect(canMove(ORDER_SAGA, 'awaiting_delivery', 'cancelling')).toBe(false);
    expect(canMove(ORDER_SAGA, 'completed', 'cancelling')).toBe(false);
  });

  it('acts on a message only where it is expected (anything else is a duplicate or late)', () => {
    expect(accepts(ORDER_SAGA, 'reserving', 'inventory.stock.reserved.v1')).toBe(true);
    expect(accepts(ORDER_SAGA, 'releasing', 'inventory.stock.reserved.v1')).toBe(false);
    // A shipment that won the race against a cancellation is still recorded.
    expect(accepts(ORDER_SAGA, 'cancelling', 'warehouse.outbound-note.shipped.v1')).toBe(true);
    expect(accepts(ORDER_SAGA, 'awaiting_review', ORDER_REQUESTS.reviewDecided)).toBe(true);
    expect(accepts(ORDER_SAGA, 'reviewing', ORDER_REQUESTS.reviewDecided)).toBe(false);
    expect(accepts(ORDER_SAGA, 'reserving', ORDER_REQUESTS.modified)).toBe(false);
  });

  it('compensates notes before stock (reverse order of the forward steps)', () => {
    expect(ORDER_SAGA.undoable).toEqual(['stock', 'notes']);
  });
});

describe('order saga decisions', () => {
  it('review: approve → reserving, hold → awaiting_review, reject → rejected (a reviewer\'s decision wins)', () => {
    const reasons = [{ code: 'AMOUNT_HIGH', message: 'above 1000' }];
    expect(decideReview({ outcome: 'approved', reasons: [], reviewedAt: '' })).toEqual({ status: 'approved', to: 'reserving', reason: null });
    expect(decideReview({ outcome: 'on_hold', reasons, reviewedAt: '' })).toEqual({ status: 'on_hold', to: 'awaiting_review', reason: 'AMOUNT_HIGH: above 1000' });
    expect(decideReview({ outcome: 'rejected', reasons, reviewedAt: '' })).toEqual({ status: 'rejected', to: 'rejected', reason: 'AMOUNT_HIGH: above 1000' });
    const decided = (decision: 'approve' | 'reject') => decideReview({ outcome: 'on_hold', reasons, reviewedAt: '', decision: { decision, reason: 'ok by phone', decidedBy: 'k', decidedAt: '' } });
    expect(decided('approve')).toEqual({ status: 'approved', to: 'reserving', reason: 'APPROVED_BY_REVIEWER: ok by phone' });
    expect(decided('reject')).toEqual({ status: 'rejected', to: 'rejected', reason: 'REJECTED_BY_REVIEWER: ok by phone' });
  });

  it("reservation: ship, wait for the backorder, or cancel, as the shortage policy made inventory answer", () => {
    const mug = [{ sku: 'MUG', quantity: 2 }];
    const plate = [{ sku: 'PLATE', quantity: 1 }];
    expect(decideAfterReservation({ reserved: mug, backordered: [], unavailable: [] }, 'reject')).toEqual({ do: 'release', cancelUnavailable: false, backorderOpen: false, reason: null });
    expect(decideAfterReservation({ reserved: [], backordered: [], unavailable: plate }, 'partial')).toEqual({ do: 'cancel', code: 'STOCK_SHORT', reason: 'nothing available: PLATE × 1' });
    expect(decideAfterReservation({ reserved: mug, backordered: plate, unavailable: [] }, 'backorder')).toEqual({ do: 'wait_for_backorder', cancelUnavailable: false, reason: 'STOCK_SHORT: waiting for PLATE × 1' });
    expect(decideAfterReservation({ reserved: [], backordered: plate, unavailable: [] }, 'partial')).toMatchObject({ do: 'wait_for_backorder' });
    expect(decideAfterReservation({ reserved: mug, backordered: plate, unavailable: [] }, 'partial')).toEqual({ do: 'release', cancelUnavailable: false, backorderOpen: true, reason: 'STOCK_SHORT: partial, PLATE × 1 backordered' });
    expect(decideAfterReservation({ reserved: mug, backordered: [], unavailable: plate }, 'partial')).toEqual({ do: 'release', cancelUnavailable: true, backorderOpen: false, reason: 'STOCK_SHORT: partial, PLATE × 1 cancelled' });
  });

  it('deadlines: each waiting state has its wait; a backorder deadline comes first where it applies', () => {
    expect(orderSagaDeadline(TIMEOUTS, 'reviewing', {}, NOW)).toEqual(new Date(NOW + 1_000));
    expect(orderSagaDeadline(TIMEOUTS, 'awaiting_review', {}, NOW)).toEqual(new Date(NOW + 60_000));
    expect(orderSagaDeadline(TIMEOUTS, 'completed', {}, NOW)).toBeNull();
    const backorder = { backorderOpen: true, backorderDeadline: new Date(NOW + 5_000).toISOString() };
    expect(orderSagaDeadline(TIMEOUTS, 'backordered', backorder, NOW)).toEqual(new Date(NOW + 5_000));
    expect(orderSagaDeadline(TIMEOUTS, 'fulfilling', backorder, NOW)).toEqual(new Date(NOW + 5_000));
    expect(orderSagaDeadline(TIMEOUTS, 'releasing', backorder, NOW)).toEqual(new Date(NOW + 1_000));
    expect(orderSagaDeadline(TIMEOUTS, 'awaiting_delivery', backorder, NOW)).toEqual(new Date(NOW + 6_000_000));
  });

  it('deadline actions from the table: re-send then give up, cancel a held order, complete an unconfirmed delivery, compensate for ever', () => {
    expect(decideDeadline(ORDER_SAGA, 'reserving', { resends: 2 }, POLICY, NOW)).toEqual({ do: 'give_up', code: 'SAGA_TIMEOUT', reason: 'no answer in reserving after 2 re-sends' });
    expect(decideDeadline(ORDER_SAGA, 'awaiting_review', {}, POLICY, NOW)).toMatchObject({ do: 'cancel', code: 'REVIEW_TIMEOUT' });
    expect(decideDeadline(ORDER_SAGA, 'backordered', {}, POLICY, NOW)).toMatchObject({ do: 'cancel', code: 'BACKORDER_DEADLINE' });
    expect(decideDeadline(ORDER_SAGA, 'awaiting_delivery', {}, POLICY, NOW)).toMatchObject({ do: 'complete', to: 'completed' });
    expect(decideDeadline(ORDER_SAGA, 'cancelling', { resends: 9 }, POLICY, NOW)).toMatchObject({ do: 'compensate', stuck: true });
    expect(decideDeadline(ORDER_SAGA, 'fulfilling', {}, POLICY, NOW)).toEqual({ do: 'decide' });
  });

  it("releasing and fulfilling decide by the order: its backordered rest, notes re-sent, nothing shipped, part shipped", () => {
    const due = { backorderOpen: true, backorderDeadline: new Date(NOW - 1).toISOString() };
    expect(decideOrderDeadline({ state: 'releasing', data: due }, { someShipped: false }, POLICY, NOW)).toEqual({ do: 'cancel_rest' });
    expect(decideOrderDeadline({ state: 'releasing', data: {} }, { someShipped: false }, POLICY, NOW)).toEqual({ do: 'resend_notes', resends: 1, retryAt: new Date(NOW + 2_000) });
    expect(decideOrderDeadline({ state: 'releasing', data: { resends: 2 } }, { someShipped: false }, POLICY, NOW)).toMatchObject({ do: 'give_up', code: 'SAGA_TIMEOUT' });
    expect(decideOrderDeadline({ state: 'fulfilling', data: due }, { someShipped: true }, POLICY, NOW)).toEqual({ do: 'cancel_rest_and_advance' });
    expect(decideOrderDeadline({ state: 'fulfilling', data: {} }, { someShipped: false }, POLICY, NOW)).toMatchObject({ do: 'cancel', code: 'FULFILMENT_TIMEOUT' });
    expect(decideOrderDeadline({ state: 'fulfilling', data: {} }, { someShipped: true }, POLICY, NOW)).toMatchObject({ do: 'mark_stuck', resends: 1 });
  });
});
