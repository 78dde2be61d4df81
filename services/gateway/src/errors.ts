import type { ErrorStatusMap } from '@skald/service-kit';

/**
 * The gateway's own stable error codes and their HTTP statuses. Codes of the owning services
 * never pass through here: their problem+json answers are forwarded as they are.
 */
export const GATEWAY_ERROR_STATUSES = {
  /** No, malformed, unknown or revoked API key. */
  UNAUTHENTICATED: 401,
  /** The key is valid but may not use this operation (wrong kind of key or missing role). */
  FORBIDDEN: 403,
  /** An Idempotency-Key was sent again while its first request is still being processed. */
  IDEMPOTENCY_KEY_IN_USE: 409,
  /** An Idempotency-Key was sent again with another method, path or body. */
  IDEMPOTENCY_KEY_REUSED: 422,
  /** The API key is over its rate limit, or the source address failed authentication too often (Retry-After). */
  RATE_LIMITED: 429,
  /** A webhook URL that names a loopback, private or otherwise non-public host, or carries credentials. */
  WEBHOOK_URL_FORBIDDEN: 422,
  /** The platform holds WEBHOOK_MAX_SUBSCRIPTIONS_PER_PLATFORM subscriptions already. */
  WEBHOOK_LIMIT_REACHED: 409,
  /** No webhook subscription of the caller's platform has this id. */
  WEBHOOK_SUBSCRIPTION_NOT_FOUND: 404,
  /** No service has a dead letter with this message id. */
  DEAD_LETTER_NOT_FOUND: 404,
  /** An event dead in several services' queues: the service must be named. */
  DEAD_LETTER_AMBIGUOUS: 409,
  /** No order or return saga by this name (an RMA number nobody issued). */
  SAGA_NOT_FOUND: 404,
  /** The owning service answered something that is not JSON. */
  UPSTREAM_BAD_RESPONSE: 502,
  /** The owning service could not be reached. */
  UPSTREAM_UNAVAILABLE: 503,
  /** The owning service did not answer in time. */
  UPSTREAM_TIMEOUT: 504,
} as const satisfies ErrorStatusMap;

export type GatewayErrorCode = keyof typeof GATEWAY_ERROR_STATUSES;
