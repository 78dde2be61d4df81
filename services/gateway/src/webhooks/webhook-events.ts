import { ORDER_STATUSES, type OrderStatus } from '@skald/contracts';

/**
 * Order events that are not a status of the order: the refund instruction of a paid order that
 * was cancelled, whole or in part (`orders.refund.requested.v1`). Notifications sends them as
 * `order.<event>` too; its list (`ORDER_NOTICES` in services/notifications) must stay the same.
 */
export const ORDER_NOTICES = ['refund_requested'] as const;
export type OrderNotice = (typeof ORDER_NOTICES)[number];

/** Every event a platform may subscribe to: `order.<status>`, `order.refund_requested`, or `*` for all of them. */
export const WEBHOOK_EVENTS = ['*', ...[...ORDER_STATUSES, ...ORDER_NOTICES].map((event) => `order.${event}`)] as const;

/**
 * The subscription's events as WebhookSubscriptionCreated carries them: order statuses and
 * notices (`shipped`, `refund_requested`) or `*` (see the contract), from the public names
 * (`order.shipped`).
 */
export function contractEvents(events: string[]): Array<OrderStatus | OrderNotice | '*'> {
  return events.map((event) => (event === '*' ? '*' : (event.replace(/^order\./, '') as OrderStatus | OrderNotice)));
}
