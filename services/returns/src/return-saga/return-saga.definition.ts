import {
  ExpectedReturnCancelledV1,
  OrderStatusChangedV1,
  ReplacementOrderPlacedV1,
  ReturnedStockBookedV1,
  ReturnedStockRefusedV1,
  ReturnExpectedV1,
  ReturnInspectedV1,
  ReturnReceiptRefusedV1,
  ReturnReceivedV1,
  type ReturnStatus,
  type StockLineValue,
} from '@skald/contracts';
import { defineSaga, type CompensationStatus, type SagaEntity, type SagaMechanismData } from '@skald/saga';

/**
 * THE RETURN SAGA, as a table (the order saga's is services/orders/src/saga/order-saga.definition.ts;
 * both run on libs/saga, ADR 14). A return request (RMA) is checked against the platform's policy
 * when it arrives: refused at once with a stable code, or `requested`. From there:
 *
 *   requested ─┬─► approved ─► received ─► inspected ─┬─► refunded ─────────────────► closed
 *              ├─► rejected                            └─► exchanging ─► exchanged ─┬─► closed
 *              └─► cancelled ◄── cancelling ◄── approved                            └─► refunded (replacement cancelled)
 *
 * A request that needs no review is approved in the same transaction it is requested in. On
 * approval the warehouse is told to expect the goods; receive and inspect are the warehouse's
 * answers (inbound receipt); inventory books the grades; then the refund instruction, or a
 * replacement order through the order saga. The return's status follows the saga: `cancelling`
 * shows as `approved`, `exchanging` as `inspected`.
 */
export const RETURN_REQUESTS = {
  review: 'returns.request.review',
  cancel: 'returns.request.cancel',
  receive: 'returns.request.receive',
  inspect: 'returns.request.inspect',
} as const;

const { review: REVIEW, cancel: CANCEL, receive: RECEIVE, inspect: INSPECT } = RETURN_REQUESTS;
const EXPECTED = ReturnExpectedV1.routingKey;
const RECEIVED = ReturnReceivedV1.routingKey;
const INSPECTED = ReturnInspectedV1.routingKey;
const REFUSED = ReturnReceiptRefusedV1.routingKey;
const EXPECT_CANCELLED = ExpectedReturnCancelledV1.routingKey;
const BOOKED = ReturnedStockBookedV1.routingKey;
const BOOKING_REFUSED = ReturnedStockRefusedV1.routingKey;
const REPLACEMENT_PLACED = ReplacementOrderPlacedV1.routingKey;
const ORDER_STATUS = OrderStatusChangedV1.routingKey;

export const RETURN_SAGA = defineSaga({
  type: 'return',
  initial: 'requested',
  // The warehouse is told to expect the goods once approved: a cancellation tells it they are not coming.
  undoable: ['expected'],
  states: {
    requested: {
      waitsFor: "a reviewer's decision (the platform's policy asks for one)",
      accepts: [REVIEW, CANCEL],
      next: ['approved', 'rejected', 'cancelled'],
      waits: 'review',
      // After-sales answer within RETURN_REVIEW_DUE_HOURS: past it the return is overdue (never decided for people).
      onDeadline: { kind: 'decide' },
    },
    approved: {
      waitsFor: 'the goods to arrive at the warehouse (expect-return sent; receive records them)',
      accepts: [EXPECTED, RECEIVE, RECEIVED, REFUSED, CANCEL],
      next: ['received', 'cancelling'],
      waits: 'goods',
      onDeadline: { kind: 'cancel', code: 'RETURN_NOT_RECEIVED', reason: 'the goods did not arrive in time' },
    },
    cancelling: {
      waitsFor: 'the warehouse to stop expecting the goods (cancel-expected-return)',
      accepts: [EXPECT_CANCELLED, EXPECTED, REFUSED],
      next: ['cancelled'],
      waits: 'reply',
      onDeadline: { kind: 'compensate' },
    },
    received: {
      waitsFor: 'the inspection of the goods (inspect records the grades)',
      accepts: [INSPECT, INSPECTED, REFUSED, RECEIVED],
      next: ['inspected'],
      waits: 'inspection',
      onDeadline: { kind: 'decide' },
    },
    inspected: {
      waitsFor: 'inventory to book the graded goods (book-returned-stock)',
      accepts: [BOOKED, BOOKING_REFUSED, INSPECTED],
      next: ['refunded', 'exchanging'],
      waits: 'reply',
      onDeadline: { kind: 'resend', giveUp: 'SAGA_TIMEOUT' },
    },
    exchanging: {
      waitsFor: 'orders to place the replacement order (place-replacement-order)',
      // A replacement cancelled at once (stock short) may be heard of before its placement.
      accepts: [REPLACEMENT_PLACED, ORDER_STATUS],
      next: ['exchanged'],
      waits: 'reply',
      onDeadline: { kind: 'resend', giveUp: 'SAGA_TIMEOUT' },
    },
    exchanged: {
      waitsFor: 'the replacement order to be delivered (or cancelled: then a refund)',
      accepts: [ORDER_STATUS, REPLACEMENT_PLACED],
      next: ['closed', 'refunded'],
      waits: 'replacement',
      onDeadline: { kind: 'complete', to: 'closed', reason: 'replacement order under way for longer than the wait; closed' },
    },
    refunded: {
      waitsFor: 'nothing (the refund instruction is sent; the return closes)',
      accepts: [],
      next: ['closed'],
      waits: 'reply',
      onDeadline: { kind: 'complete', to: 'closed', reason: 'refund instructed' },
    },
    rejected: { waitsFor: 'nothing', accepts: [], next: [] },
    cancelled: { waitsFor: 'nothing', accepts: [], next: [] },
    closed: { waitsFor: 'nothing', accepts: [], next: [] },
  },
});

export type ReturnSagaState = keyof typeof RETURN_SAGA.states;
export type ReturnSagaTimeout = NonNullable<(typeof RETURN_SAGA.states)[ReturnSagaState]['waits']>;

/** What the return saga remembers between steps (jsonb). */
export interface ReturnSagaData extends SagaMechanismData {
  /** Past the after-sales answer time (review) or the inspection time: shown in the queue. */
  overdue?: boolean;
  /** The warehouse the goods go back to (the one that shipped them). */
  warehouse?: string;
  /** What receive asked the warehouse to record (re-sent on its deadline). */
  receipt?: StockLineValue[];
  /** What arrived, as the warehouse recorded it. */
  received?: StockLineValue[];
  /** The grades inspect asked the warehouse to record. */
  inspection?: Array<StockLineValue & { grade: 'A' | 'B' | 'C'; note?: string | null }>;
  /** The last refusal of the warehouse or inventory (shown on the return; the step can be done again). */
  refusal?: { code: string; reason: string; at: string } | null;
  /** A cancellation under way (state cancelling): what is left to undo. */
  cancellation?: { reason: string; requestedBy: string; expected: CompensationStatus };
  /** The replacement order of an exchange. */
  replacementOrderId?: string;
}

export type ReturnSagaRow = SagaEntity<ReturnSagaState, ReturnSagaData>;
export type ReturnSagaTimeouts = Record<ReturnSagaTimeout, number>;

/** The return's status in each saga state (what platforms and people see). */
export const RETURN_STATUS_OF: Record<ReturnSagaState, ReturnStatus> = {
  requested: 'requested',
  approved: 'approved',
  cancelling: 'approved',
  received: 'received',
  inspected: 'inspected',
  exchanging: 'inspected',
  exchanged: 'exchanged',
  refunded: 'refunded',
  rejected: 'rejected',
  cancelled: 'cancelled',
  closed: 'closed',
};

/** The deadline of `state` entered now (null in a terminal state, and once an overdue wait has been flagged). */
export function returnSagaDeadline(timeouts: ReturnSagaTimeouts, state: ReturnSagaState, data: ReturnSagaData, now: number): Date | null {
  const waits = RETURN_SAGA.states[state].waits;
  if (!waits || (data.overdue && (state === 'requested' || state === 'received'))) return null;
  return new Date(now + timeouts[waits]);
}

/** `requested` and `received` past their time: the return is overdue (flagged once, for people; nothing is decided for them). */
export function decideReturnDeadline(saga: Pick<ReturnSagaRow, 'state' | 'data'>): { do: 'flag_overdue'; reason: string } | { do: 'nothing' } {
  if (saga.data.overdue) return { do: 'nothing' };
  if (saga.state === 'requested') return { do: 'flag_overdue', reason: 'RETURN_REVIEW_OVERDUE: no after-sales answer within the answer time' };
  if (saga.state === 'received') return { do: 'flag_overdue', reason: 'RETURN_INSPECTION_OVERDUE: the goods wait for inspection' };
  throw new Error(`the return saga decides no deadline in ${saga.state}`);
}
