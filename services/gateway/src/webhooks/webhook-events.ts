import { ORDER_STATUSES, RETURN_STATUSES, type OrderStatus } from '@skald/contracts';

/**
 * Order events that are not a status of the order: the refund instruction of a paid order that
 * was cancelled, whole or in part (`orders.refund.requested.v1`). Notifications sends them as
 * `order.<event>` too; its list (`ORDER_NOTICES` in services/notifications) must stay the same.
 */
export const ORDER_NOTICES = ['refund_requested'] as const;
export type OrderNotice = (typeof ORDER_NOTICES)[number];

/**
 * Return (RMA) events that are not a status of the return: the refund instruction of an
 * inspected return (`returns.refund.requested.v1`), sent as `return.refund_requested`
 * (`RETURN_NOTICES` in services/notifications lists the same).
 */
export const RETURN_NOTICES = ['refund_requested'] as const;

/**
 * Every event a platform may subscribe to: `order.<status>`, `order.refund_requested`,
 * `return.<status>`, `return.refund_requested`, or `*` for all of them.
 */
export const WEBHOOK_EVENTS = [
  '*',
  ...[...ORDER_STATUSES, ...ORDER_NOTICES].map((event) => `order.${event}`),
  ...[...RETURN_STATUSES, ...RETURN_NOTICES].map((event) => `return.${event}`),
] as const;

/**
 * The subscription's events as WebhookSubscriptionCreated carries them (see the contract): order
 * statuses and notices bare (`order.shipped` → `shipped`), as they always travelled; return events
 * with their prefix (`return.approved`), since a bare `approved` is the order's; `*` as it is.
 */
export function contractEvents(events: string[]): Array<OrderStatus | OrderNotice | `return.${string}` | '*'> {
  return events.map((event) => {
    if (event === '*' || event.startsWith('return.')) return event as `return.${string}` | '*';
    return event.replace(/^order\./, '') as OrderStatus | OrderNotice;
  });
}
