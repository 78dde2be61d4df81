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
}

/** One service's part of a saga's timeline. */
export interface ServiceTimeline {
  service: string;
  correlationId: string;
  entries: TimelineEntry[];
  /** Sagas this service runs for the correlation id (orders, returns), else empty. */
  sagas: TimelineSaga[];
}
