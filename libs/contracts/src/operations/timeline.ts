/**
 * The on-call view of a saga, as each service serves its part on `GET /internal/timeline/{correlationId}`
 * and the gateway merges them into `GET /v1/sagas/{orderId|rmaNumber}`. Plain types: an internal HTTP
 * contract between the services and the gateway, not a message.
 */

/** What a timeline entry records. */
export type TimelineEntryKind =
  /** A saga moved from one state to another (`from` → `to` in detail). */
  | 'saga.state'
  /** A saga sent a command (routingKey, messageId). */
  | 'saga.command'
  /** A saga received a reply or event it acted on, or ignored one (detail.ignored). */
  | 'saga.received'
  /** A saga's deadline passed (re-send, cancel, complete, compensate). */
  | 'saga.timeout'
  /** A compensation step started or ended. */
  | 'saga.compensation'
  /** A message was handled (inbox record: handler, attempts, duration). */
  | 'message.handled'
  /** A message was written to the outbox and (when sentAt is set) published. */
  | 'message.published'
  /** A message ended in the service's dead-letter queue (reason, error, attempts). */
  | 'message.dead-lettered'
  /** An operator replayed or discarded a dead letter (who, why). */
  | 'message.replayed'
  | 'message.discarded'
  /** An e-mail, SMS or webhook delivery (channel, status, attempts). */
  | 'notification';

export interface TimelineEntry {
  /** When it happened (ISO 8601, milliseconds). */
  at: string;
  /** The service that recorded it. */
  service: string;
  kind: TimelineEntryKind;
  /** One line for a human: "reserve-stock sent", "stock.reserved handled by ReservationHandler". */
  summary: string;
  messageId?: string;
  routingKey?: string;
  handler?: string;
  attempts?: number;
  durationMs?: number;
  /** The W3C trace id (32 hex) the step ran under, when known. */
  traceId?: string;
  /** True for failures, dead letters and compensations (drawn red). */
  failure?: boolean;
  detail?: Record<string, unknown>;
}

/** A saga as its owning service sees it now. */
export interface TimelineSaga {
  id: string;
  type: string;
  state: string;
  /** The saga's next deadline (ISO), when it waits for one. */
  deadline?: string;
  /** What it waits for now: reply routing keys, or an operator's step. */
  waitingFor?: string[];
  /** True once the saga reached a final state. */
  finished: boolean;
  /** True when the saga kept failing to compensate or to get an answer (the scheduler marked it). */
  stuck?: boolean;
}

/** A saga in an on-call list (`GET /internal/sagas`, `GET /v1/sagas?state=`). */
export interface SagaSummary {
  /** The saga's id: its correlation id (the order's or the return's id). */
  id: string;
  /** `order`, `return`; absent for a saga known only by its dead letters. */
  type?: string;
  state?: string;
  /** The service running it, or (failed) the services holding its dead letters. */
  service: string;
  deadline?: string;
  stuck?: boolean;
  waitingFor?: string[];
  /** When it last changed (or, failed, its last dead letter). */
  updatedAt: string;
  /** failed: how many dead letters it has and the last one's reason. */
  deadLetters?: number;
  lastReason?: string;
}

/** A page of an on-call list; `nextCursor` is absent on the last page. */
export interface SagaPage {
  sagas: SagaSummary[];
  nextCursor?: string;
}

/** The on-call lists of sagas (`state=`): past their deadline or marked stuck; compensating; with dead letters. */
export const SAGA_LIST_STATES = ['stuck', 'compensating', 'failed'] as const;
export type SagaListState = (typeof SAGA_LIST_STATES)[number];

/** One service's part of a saga's timeline. */
export interface ServiceTimeline {
  service: string;
  correlationId: string;
  entries: TimelineEntry[];
  /** Sagas this service runs for the correlation id (orders, returns), else empty. */
  sagas: TimelineSaga[];
}
