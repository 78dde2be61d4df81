import { greet, statusLabel, type OrderStatusTemplate } from './order-status-view.js';

/** For a status without a template of its own (one added to the contract later). */
export const defaultTemplate: OrderStatusTemplate = (order) => ({
  subject: `Your order ${order.externalId} is now ${statusLabel(order.status)}`,
  greeting: greet(order),
  blocks: [`The status of your order ${order.externalId} changed to "${statusLabel(order.status)}".`],
});
