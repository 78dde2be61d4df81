/** Where unroutable commands land (alternate exchange of skald.commands): a command is never lost. */
export const UNROUTED_EXCHANGE = 'skald.unrouted';
export const UNROUTED_QUEUE = 'skald.unrouted';

/**
 * Where events land that no queue is bound to (alternate exchange of skald.events): an event
 * published before its consumers declared their bindings, or to a consumer whose binding is
 * missing, is kept for an operator to replay instead of being dropped by the broker.
 */
export const UNROUTED_EVENTS_EXCHANGE = 'skald.events.unrouted';
export const UNROUTED_EVENTS_QUEUE = 'skald.events.unrouted';
/**
 * How long an unrouted event is kept. Many events legitimately have no subscriber yet; without a
 * bound the queue would grow for ever. A week is long enough to notice and replay a lost one.
 */
export const UNROUTED_EVENTS_TTL_MS = 7 * 24 * 3_600_000;

/** The service's one durable quorum queue: every command it executes and event it reacts to. */
export function mainQueueName(service: string): string {
  return `skald.${service}`;
}

/**
 * A delayed-retry queue. Named after its delay, so that changing the configured delays declares
 * new queues instead of clashing with the arguments of existing ones.
 */
export function retryQueueName(service: string, delayMs: number): string {
  return `skald.${service}.retry.${delayMs}ms`;
}

/** Where messages end after their last attempt, or at once when invalid. */
export function deadLetterQueueName(service: string): string {
  return `skald.${service}.dlq`;
}
