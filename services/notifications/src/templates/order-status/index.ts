import type { OrderStatus } from '@skald/contracts';
import { renderEmail, type RenderedEmail } from '../layout.js';
import { approved } from './approved.js';
import { backordered } from './backordered.js';
import { cancelled } from './cancelled.js';
import { defaultTemplate } from './default.js';
import { delivered } from './delivered.js';
import { onHold } from './on-hold.js';
import { packed } from './packed.js';
import { partiallyShipped } from './partially-shipped.js';
import { picking } from './picking.js';
import { received } from './received.js';
import { rejected } from './rejected.js';
import { released } from './released.js';
import { reserved } from './reserved.js';
import { shipped } from './shipped.js';
import type { OrderStatusTemplate, OrderStatusView } from './order-status-view.js';

export type { OrderStatusView } from './order-status-view.js';

/** The customer e-mail of each order status (the compiler insists on one for every status). */
export const ORDER_STATUS_TEMPLATES: Readonly<Record<OrderStatus, OrderStatusTemplate>> = {
  received,
  on_hold: onHold,
  rejected,
  approved,
  backordered,
  reserved,
  released,
  picking,
  packed,
  partially_shipped: partiallyShipped,
  shipped,
  delivered,
  cancelled,
};

/** The customer e-mail for an order's new status. */
export function orderStatusEmail(order: OrderStatusView): RenderedEmail {
  const template = (ORDER_STATUS_TEMPLATES as Partial<Record<string, OrderStatusTemplate>>)[order.status] ?? defaultTemplate;
  return renderEmail(template(order));
}
