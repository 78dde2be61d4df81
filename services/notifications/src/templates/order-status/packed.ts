import { greet, type OrderStatusTemplate } from './order-status-view.js';

export const packed: OrderStatusTemplate = (order) => ({
  subject: `Your order ${order.externalId} is packed`,
  greeting: greet(order),
  blocks: [`Your order ${order.externalId} is packed and waiting for the carrier.`],
});
