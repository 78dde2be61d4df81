/**
 * The one envelope every Skald message travels in, as the JSON body of the AMQP message.
 * `traceparent` is not part of it: it travels as an AMQP header (W3C trace context).
 */
export interface MessageEnvelope<P = unknown> {
  /** Unique message id (UUID); the inbox deduplicates on it. */
  id: string;
  /** Message type without version, e.g. `orders.order.placed`. */
  type: string;
  /** Contract version; the routing key is `${type}.v${version}`. */
  version: number;
  /** ISO 8601 time the fact happened or the command was issued. */
  occurredAt: string;
  /** The saga (or request) this message belongs to. */
  correlationId: string;
  /** Id of the message that caused this one; null for a message caused by an HTTP request. */
  causationId: string | null;
  /** The platform (tenant) the message concerns; null for tenant-less messages. */
  tenantId: string | null;
  payload: P;
}

/** The routing key of a message type and version: `orders.order.placed` v1 → `orders.order.placed.v1`. */
export function routingKeyOf(type: string, version: number): string {
  return `${type}.v${version}`;
}
