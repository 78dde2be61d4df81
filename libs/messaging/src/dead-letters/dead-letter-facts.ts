import type { DeadLetterSummary } from './dead-letter-queue.js';
import type { DeadLetterFacts } from './dead-letter-records.js';

const TRACEPARENT = /^[\da-f]{2}-([\da-f]{32})-[\da-f]{16}-[\da-f]{2}$/;

/** The W3C trace id of a message's `traceparent` header; undefined when absent or malformed. */
export function traceIdOf(headers: Record<string, unknown> | undefined): string | undefined {
  const value = headers?.traceparent;
  const match = typeof value === 'string' ? TRACEPARENT.exec(value.trim().toLowerCase()) : null;
  return match && !/^0+$/.test(match[1]) ? match[1] : undefined;
}

/**
 * The correlation and tenant ids of a message body, read loosely: a message dead-lettered for an
 * invalid envelope may still carry them (or may not be JSON at all).
 */
export function envelopeIdsOf(body: string | Buffer): { correlationId?: string; tenantId?: string } {
  try {
    const parsed = JSON.parse(body.toString()) as { correlationId?: unknown; tenantId?: unknown };
    return {
      correlationId: typeof parsed?.correlationId === 'string' ? parsed.correlationId : undefined,
      tenantId: typeof parsed?.tenantId === 'string' ? parsed.tenantId : undefined,
    };
  } catch {
    return {};
  }
}

/** The facts of a message in the dead-letter queue (for one the broker dead-lettered itself, what it tells). */
export function factsOfQueued(letter: DeadLetterSummary & { messageId: string }): DeadLetterFacts {
  const ids = envelopeIdsOf(letter.body);
  return {
    messageId: letter.messageId,
    routingKey: letter.routingKey,
    correlationId: ids.correlationId ?? letter.correlationId,
    tenantId: ids.tenantId,
    reason: letter.reason,
    error: letter.error,
    attempts: letter.attempts,
    deadLetteredAt: letter.deadLetteredAt ?? new Date().toISOString(),
    traceId: traceIdOf(letter.headers),
  };
}

const SECRET_KEYS = /^(secret|password|token|api[-_]?key|authorization)$/i;

/**
 * A copy with secret-looking fields replaced. Payloads carry no secrets since sealed webhook
 * secrets (ADR 10), but notifications still takes `gateway.webhook-subscription.created` v1, whose
 * `secret` is the signing secret in plain text; on-call reads a dead letter, never a secret.
 */
export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([key, field]) => [key, SECRET_KEYS.test(key) ? '[redacted]' : redactSecrets(field)]),
  );
}
