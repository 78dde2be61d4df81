/**
 * A service's dead letters as on-call sees them: each service serves its own on
 * `GET /internal/dead-letters` (and acts on them under `/internal/dead-letters/…`); the gateway
 * gathers them for `GET /v1/dead-letters`. Plain types: an internal HTTP contract between the
 * services and the gateway, not a message.
 */

/** What became of a dead letter: still in the dead-letter queue, put back into the service's queue, or dropped. */
export type DeadLetterStatus = 'dead' | 'replayed' | 'discarded';

/** An operator's replay or discard of a dead letter. */
export interface DeadLetterAction {
  action: 'replayed' | 'discarded';
  /** The staff principal (API key id) who acted. */
  by: string;
  /** ISO 8601. */
  at: string;
  /** Why (required for a discard). */
  reason?: string;
}

export interface DeadLetterView {
  service: string;
  messageId: string;
  /** The routing key the message was first delivered with (`inventory.reserve-stock.v1`). */
  routingKey: string;
  correlationId?: string;
  tenantId?: string;
  /** INVALID_ENVELOPE, INVALID_PAYLOAD, NO_HANDLER, NON_RETRYABLE_ERROR, RETRIES_EXHAUSTED, or DELIVERY_LIMIT (the broker's own). */
  reason: string;
  /** The last error, `CODE: message`. */
  error: string;
  attempts: number;
  /** ISO 8601; unknown for a message the broker dead-lettered itself. */
  deadLetteredAt?: string;
  /** The W3C trace id of the message (from its `traceparent` header). */
  traceId?: string;
  status: DeadLetterStatus;
  /** True while the message is in the service's dead-letter queue. */
  inQueue: boolean;
  /** False for a message the broker dead-lettered itself (delivery limit): the service wrote no record of it. */
  recorded: boolean;
  /** Replays and discards, oldest first. */
  actions: DeadLetterAction[];
}

/** One dead letter with the message itself, while it is in the queue (secret fields redacted). */
export interface DeadLetterDetail extends DeadLetterView {
  headers?: Record<string, unknown>;
  /** The message body: the parsed envelope, or its text when it is not JSON. */
  body?: unknown;
}

/** `GET /internal/dead-letters`: one service's dead letters. */
export interface ServiceDeadLetters {
  service: string;
  /** Messages in the service's dead-letter queue now. */
  depth: number;
  deadLetters: DeadLetterView[];
}

/** What a replay did in one service: the message ids put back into its queue, each once. */
export interface DeadLetterReplay {
  service: string;
  replayed: string[];
}
