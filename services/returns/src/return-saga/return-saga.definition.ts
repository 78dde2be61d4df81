import { defineSaga, type SagaEntity, type SagaMechanismData } from '@skald/saga';

/**
 * THE RETURN SAGA, as a table (the order saga's is services/orders/src/saga/order-saga.definition.ts;
 * both run on libs/saga, ADR 14). A return request (RMA) is checked against the platform's policy
 * when it arrives: refused at once with a stable code, or `requested`. From there:
 *
 *   requested ─┬─► approved ─► received ─► inspected ─┬─► refunded ──► closed
 *              ├─► rejected                            └─► exchanged ─► closed
 *              └─► cancelled ◄── approved   (cancelled: only before receipt)
 *
 * A request that needs no review is approved in the same transaction it is requested in.
 */
export const RETURN_REQUESTS = {
  review: 'returns.request.review',
  cancel: 'returns.request.cancel',
  receive: 'returns.request.receive',
  inspect: 'returns.request.inspect',
} as const;

const { review: REVIEW, cancel: CANCEL, receive: RECEIVE, inspect: INSPECT } = RETURN_REQUESTS;

export const RETURN_SAGA = defineSaga({
  type: 'return',
  initial: 'requested',
  undoable: [],
  states: {
    requested: {
      waitsFor: "a reviewer's decision (the platform's policy asks for one)",
      accepts: [REVIEW, CANCEL],
      next: ['approved', 'rejected', 'cancelled'],
      waits: 'review',
      // After-sales answer within RETURN_REVIEW_DUE_HOURS: past it the return is overdue (never auto-decided).
      onDeadline: { kind: 'decide' },
    },
    approved: {
      waitsFor: 'the goods to arrive at the warehouse',
      accepts: [RECEIVE, CANCEL],
      next: ['received', 'cancelled'],
      waits: 'goods',
      onDeadline: { kind: 'cancel', code: 'RETURN_NOT_RECEIVED', reason: 'the goods did not arrive in time' },
    },
    received: {
      waitsFor: 'the inspection of the goods',
      accepts: [INSPECT],
      next: ['inspected'],
      waits: 'inspection',
      onDeadline: { kind: 'decide' },
    },
    inspected: {
      waitsFor: 'the refund instruction or the replacement order',
      accepts: [],
      next: ['refunded', 'exchanged'],
      waits: 'reply',
      onDeadline: { kind: 'resend', giveUp: 'SAGA_TIMEOUT' },
    },
    refunded: {
      waitsFor: 'closing',
      accepts: [],
      next: ['closed'],
      waits: 'reply',
      onDeadline: { kind: 'complete', to: 'closed', reason: 'refund instructed' },
    },
    exchanged: {
      waitsFor: 'the replacement order to be delivered',
      accepts: [],
      next: ['closed'],
      waits: 'goods',
      onDeadline: { kind: 'complete', to: 'closed', reason: 'replacement order under way' },
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
  /** Past the after-sales answer time (review) or the inspection time: shown in the queue and counted. */
  overdue?: boolean;
}

export type ReturnSagaRow = SagaEntity<ReturnSagaState, ReturnSagaData>;
export type ReturnSagaTimeouts = Record<ReturnSagaTimeout, number>;

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
