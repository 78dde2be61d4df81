import { ORDER_STATUSES, type OrderStatus } from '@skald/contracts';

/** Every event a platform may subscribe to: `order.<status>`, or `*` for all of them. */
export const WEBHOOK_EVENTS = ['*', ...ORDER_STATUSES.map((status) => `order.${status}`)] as const;

/**
 * The subscription's events as WebhookSubscriptionCreated carries them: order statuses
 * (`shipped`) or `*` (see the contract), from the public names (`order.shipped`).
 */
export function contractEvents(events: string[]): Array<OrderStatus | '*'> {
  return events.map((event) => (event === '*' ? '*' : (event.replace(/^order\./, '') as OrderStatus)));
}
