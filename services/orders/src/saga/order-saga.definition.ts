import {
  BackorderAllocatedV1,
  OutboundNoteProgressedV1,
  OutboundNoteShippedV1,
  OutboundNotesCancelledV1,
  OutboundNotesCreatedV1,
  ReservationExpiredV1,
  ReviewOrderV1,
  ShipmentDeliveredV1,
  StockReleasedV1,
  StockReservationRejectedV1,
  StockReservedV1,
  type ShortageMode,
} from '@skald/contracts';
import { defineSaga, retryAt, statesAccepting, type CompensationStatus, type RetryPolicy, type SagaEntity, type SagaMechanismData } from '@skald/saga';
import type { ReviewRecord } from '../orders/order.entity.js';
import { describeLines } from './quantities.js';

/**
 * THE ORDER SAGA, as a table: what each state waits for, what it acts on, where it may go, how
 * long it waits and what its deadline does. The steps themselves: OrderSaga (forward),
 * OrderCompensation (cancellation and other undoing), OrderSagaScheduler (deadlines).
 *
 *   reviewing ─┬─► awaiting_review ─► reserving ─┬─► releasing ─► fulfilling ─► awaiting_delivery ─► completed
 *              ├─► reserving                      └─► backordered ─► releasing
 *              └─► rejected            (any state before shipment) ─► cancelling ─► cancelled
 *                                                     (cancelling ─► reserving: an expired backorder reserves again)
 */

/** Triggers a step acts on that are not messages: requests to the orders service. */
export const ORDER_REQUESTS = {
  reviewDecided: 'orders.request.review-decided',
  modified: 'orders.request.modify',
  cancel: 'orders.request.cancel',
} as const;

const REVIEW = ReviewOrderV1.routingKey;
const RESERVED = StockReservedV1.routingKey;
const RESERVATION_REJECTED = StockReservationRejectedV1.routingKey;
const BACKORDER_ALLOCATED = BackorderAllocatedV1.routingKey;
const NOTES_CREATED = OutboundNotesCreatedV1.routingKey;
const NOTE_PROGRESSED = OutboundNoteProgressedV1.routingKey;
const NOTE_SHIPPED = OutboundNoteShippedV1.routingKey;
const DELIVERED = ShipmentDeliveredV1.routingKey;
const NOTES_CANCELLED = OutboundNotesCancelledV1.routingKey;
const RELEASED = StockReleasedV1.routingKey;
const EXPIRED = ReservationExpiredV1.routingKey;
const { reviewDecided: DECIDED, modified: MODIFIED, cancel: CANCEL } = ORDER_REQUESTS;

/** The order's life as messages show it: notes from creation to delivery. */
const FULFILMENT = [NOTES_CREATED, NOTE_PROGRESSED, NOTE_SHIPPED, DELIVERED] as const;

export const ORDER_SAGA = defineSaga({
  type: 'order',
  initial: 'reviewing',
  // Stock is reserved before notes are created: a cancellation cancels the notes, then releases the stock.
  undoable: ['stock', 'notes'],
  states: {
    reviewing: {
      waitsFor: 'the automatic review (orders.review-order)',
      accepts: [REVIEW, MODIFIED, CANCEL],
      next: ['awaiting_review', 'reserving', 'rejected', 'cancelling'],
      waits: 'reply',
      onDeadline: { kind: 'resend', giveUp: 'SAGA_TIMEOUT' },
    },
    awaiting_review: {
      waitsFor: "a reviewer's decision",
      accepts: [DECIDED, MODIFIED, CANCEL],
      next: ['reserving', 'rejected', 'reviewing', 'cancelling'],
      waits: 'reviewHold',
      onDeadline: { kind: 'cancel', code: 'REVIEW_TIMEOUT', reason: 'no reviewer decided in time' },
    },
    reserving: {
      waitsFor: "inventory's answer to reserve-stock",
      accepts: [RESERVED, RESERVATION_REJECTED, RELEASED, EXPIRED, CANCEL],
      next: ['backordered', 'releasing', 'cancelled', 'cancelling'],
      waits: 'reply',
      onDeadline: { kind: 'resend', giveUp: 'SAGA_TIMEOUT' },
    },
    backordered: {
      waitsFor: 'stock for the backorder (inventory allocates received stock)',
      accepts: [BACKORDER_ALLOCATED, RELEASED, EXPIRED, CANCEL],
      next: ['releasing', 'cancelling'],
      waits: 'backorder',
      onDeadline: { kind: 'cancel', code: 'BACKORDER_DEADLINE', reason: 'stock did not arrive by the backorder deadline' },
    },
    releasing: {
      waitsFor: "the warehouses' outbound notes (create-outbound-notes)",
      accepts: [NOTES_CREATED, NOTE_PROGRESSED, NOTE_SHIPPED, BACKORDER_ALLOCATED, RELEASED, EXPIRED, CANCEL],
      next: ['fulfilling', 'awaiting_delivery', 'completed', 'cancelling'],
      waits: 'reply',
      // A partial order's backordered rest may come due first: see decideOrderDeadline.
      onDeadline: { kind: 'decide' },
    },
    fulfilling: {
      waitsFor: 'the warehouses to pick, pack and ship',
      accepts: [...FULFILMENT, BACKORDER_ALLOCATED, RELEASED, EXPIRED, CANCEL],
      next: ['awaiting_delivery', 'completed', 'cancelling'],
      waits: 'fulfilment',
      onDeadline: { kind: 'decide' },
    },
    awaiting_delivery: {
      waitsFor: 'delivery confirmations',
      accepts: [...FULFILMENT, RELEASED, EXPIRED],
      next: ['completed'],
      waits: 'deliveryConfirmation',
      onDeadline: { kind: 'complete', to: 'completed', reason: 'DELIVERY_UNCONFIRMED: no delivery confirmation in time; completed as shipped' },
    },
    cancelling: {
      waitsFor: 'the compensation in progress (cancel notes, then release stock)',
      accepts: [NOTES_CANCELLED, RELEASED, EXPIRED, NOTE_SHIPPED, DELIVERED],
      next: ['cancelled', 'reserving', 'awaiting_delivery'],
      waits: 'reply',
      onDeadline: { kind: 'compensate' },
    },
    completed: { waitsFor: 'nothing', accepts: [NOTE_SHIPPED, DELIVERED, RELEASED, EXPIRED], next: [] },
    rejected: { waitsFor: 'nothing', accepts: [RELEASED, EXPIRED], next: [] },
    cancelled: { waitsFor: 'nothing', accepts: [RELEASED, EXPIRED], next: [] },
  },
});

export type OrderSagaState = keyof typeof ORDER_SAGA.states;
export type OrderSagaTimeout = NonNullable<(typeof ORDER_SAGA.states)[OrderSagaState]['waits']>;
export type OrderCompensationStep = (typeof ORDER_SAGA.undoable)[number];

/** Saga states in which a cancellation may start (the order has not shipped). */
export const CANCELLABLE_STATES: readonly OrderSagaState[] = statesAccepting(ORDER_SAGA, CANCEL);
/** Saga states in which outbound notes exist or are on their way. */
export const FULFILMENT_STATES: readonly OrderSagaState[] = ['releasing', 'fulfilling', 'awaiting_delivery'];

/** A cancellation under way (saga state `cancelling`): why, and where its compensation stands. */
export interface Cancellation extends Record<OrderCompensationStep, CompensationStatus> {
  code: string;
  reason: string;
  requestedBy: string;
  requestedAt: string;
  /** After compensating: cancel the order, or reserve again (a backorder whose reservation expired). */
  then: 'cancel' | 'reserve_again';
  /** The state the saga was in when the cancellation started. */
  from: OrderSagaState;
  /** The reservations to release; absent: all of the order's (and any reserve still on its way). */
  releaseIds?: string[];
  /** Notes that had shipped before the cancellation reached the warehouse. */
  shippedNotes?: string[];
}

/** What the order saga remembers between steps (jsonb). */
export interface OrderSagaData extends SagaMechanismData {
  /** Outbound notes the order will have, over all batches (one per warehouse and batch). */
  expectedNotes?: number;
  /** The current reservation attempt (1 once reserving started; more after an expiry). */
  reserveAttempt?: number;
  /** A create-outbound-notes command was sent (cancellation must cancel notes). */
  notesRequested?: boolean;
  /** The note batches requested so far. */
  notesSent?: number[];
  /** Inventory holds part of the order in its backorder queue. */
  backorderOpen?: boolean;
  backorderDeadline?: string | null;
  /** A release of a partial order's backordered rest is on its way (reason sent with it). */
  restRelease?: string | null;
  /** Refunded so far (decimal string). */
  refunded?: string;
  cancellation?: Cancellation;
}

export type OrderSagaRow = SagaEntity<OrderSagaState, OrderSagaData>;

/** How long each kind of wait lasts (ms), from the service's configuration. */
export type OrderSagaTimeouts = Record<Exclude<OrderSagaTimeout, 'backorder'>, number>;

/**
 * The deadline of `state` entered now. A backorder waits until the order's backorder deadline;
 * a partial order's notes and fulfilment also wake at it (its backordered rest is then cancelled).
 */
export function orderSagaDeadline(timeouts: OrderSagaTimeouts, state: OrderSagaState, data: OrderSagaData, now: number): Date | null {
  const waits = ORDER_SAGA.states[state].waits;
  if (!waits) return null;
  const backorderAt = data.backorderOpen && data.backorderDeadline ? Date.parse(data.backorderDeadline) : null;
  if (waits === 'backorder') return new Date(backorderAt ?? now + timeouts.reply);
  const own = now + timeouts[waits];
  return new Date(backorderAt !== null && (state === 'releasing' || state === 'fulfilling') ? Math.min(own, backorderAt) : own);
}

/** What the scheduler does in the states whose deadline depends on the order (`decide` in the table). */
export type OrderDeadlineDecision =
  | { do: 'cancel_rest' }
  | { do: 'cancel_rest_and_advance' }
  | { do: 'resend_notes'; resends: number; retryAt: Date }
  | { do: 'give_up'; code: string; reason: string }
  | { do: 'cancel'; code: string; reason: string }
  | { do: 'mark_stuck'; resends: number; retryAt: Date; why: string };

/**
 * `releasing` or `fulfilling` past its deadline. A partial order's backordered rest whose deadline
 * came is given up first (the order goes on with what it has). Otherwise: notes never created
 * are asked for again (and given up after the last re-send); a fulfilment that shipped nothing
 * is cancelled; one that shipped part and not the rest is stuck for an operator.
 */
export function decideOrderDeadline(
  saga: Pick<OrderSagaRow, 'state' | 'data'>,
  facts: { someShipped: boolean },
  policy: RetryPolicy,
  now = Date.now(),
): OrderDeadlineDecision {
  const { state, data } = saga;
  const resends = (data.resends ?? 0) + 1;
  const backorderDue = Boolean(data.backorderOpen && data.backorderDeadline && Date.parse(data.backorderDeadline) <= now);
  if (state === 'releasing') {
    if (backorderDue) return { do: 'cancel_rest' };
    if (resends > policy.maxResends) return { do: 'give_up', code: 'SAGA_TIMEOUT', reason: `no answer in releasing after ${resends - 1} re-sends` };
    return { do: 'resend_notes', resends, retryAt: retryAt(policy, resends, now) };
  }
  if (state !== 'fulfilling') throw new Error(`the order saga decides no deadline in ${state}`);
  if (backorderDue) return { do: 'cancel_rest_and_advance' };
  if (!facts.someShipped) return { do: 'cancel', code: 'FULFILMENT_TIMEOUT', reason: 'the warehouse did not ship in time' };
  return { do: 'mark_stuck', resends, retryAt: retryAt(policy, resends, now), why: 'part of the order shipped, the rest did not in time' };
}

/** Where a review (automatic, or a reviewer's decision) takes the order. */
export function decideReview(review: ReviewRecord): { status: 'rejected' | 'on_hold' | 'approved'; to: OrderSagaState; reason: string | null } {
  const reasons = review.reasons.map((r) => `${r.code}: ${r.message}`).join('; ') || null;
  const decision = review.decision;
  const outcome = decision ? (decision.decision === 'approve' ? 'approved' : 'rejected') : review.outcome;
  if (outcome === 'rejected') return { status: 'rejected', to: 'rejected', reason: decision ? `REJECTED_BY_REVIEWER: ${decision.reason}` : reasons };
  if (outcome === 'on_hold') return { status: 'on_hold', to: 'awaiting_review', reason: reasons };
  return { status: 'approved', to: 'reserving', reason: decision ? `APPROVED_BY_REVIEWER: ${decision.reason}` : null };
}

type Lines = ReadonlyArray<{ sku: string; quantity: number }>;

/** What inventory's answer to reserve-stock means for the order (its shortage policy decided what inventory did). */
export type ReservationDecision =
  /** Nothing reserved and nothing waits (`take_available` found nothing): cancel the order. */
  | { do: 'cancel'; code: 'STOCK_SHORT'; reason: string }
  /** Wait for the backorder (all of it, or a partial order with nothing to ship yet). */
  | { do: 'wait_for_backorder'; cancelUnavailable: boolean; reason: string }
  /** Ship what is reserved; a backordered rest keeps waiting (batch 2), an unavailable rest is cancelled. */
  | { do: 'release'; cancelUnavailable: boolean; backorderOpen: boolean; reason: string | null };

export function decideAfterReservation(answer: { reserved: Lines; backordered: Lines; unavailable: Lines }, mode: ShortageMode | undefined): ReservationDecision {
  const { reserved, backordered, unavailable } = answer;
  if (reserved.length === 0 && backordered.length === 0) return { do: 'cancel', code: 'STOCK_SHORT', reason: `nothing available: ${describeLines(unavailable)}` };
  const cancelUnavailable = unavailable.length > 0;
  if (backordered.length > 0 && (mode !== 'partial' || reserved.length === 0)) {
    return { do: 'wait_for_backorder', cancelUnavailable, reason: `STOCK_SHORT: waiting for ${describeLines(backordered)}` };
  }
  const reason =
    backordered.length > 0
      ? `STOCK_SHORT: partial, ${describeLines(backordered)} backordered`
      : unavailable.length > 0
        ? `STOCK_SHORT: partial, ${describeLines(unavailable)} cancelled`
        : null;
  return { do: 'release', cancelUnavailable, backorderOpen: backordered.length > 0, reason };
}
