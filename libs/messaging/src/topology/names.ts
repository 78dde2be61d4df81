/** Where unroutable commands land (alternate exchange of skald.commands): a command is never lost. */
export const UNROUTED_EXCHANGE = 'skald.unrouted';
export const UNROUTED_QUEUE = 'skald.unrouted';

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
