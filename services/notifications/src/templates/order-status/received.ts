import { greet, type OrderStatusTemplate } from './order-status-view.js';

export const received: OrderStatusTemplate = (order) => ({
  subject: `We have received your order ${order.externalId}`,
  greeting: greet(order),
  blocks: [`Thank you for your order ${order.externalId}. We are checking it now and will let you know as soon as it is confirmed.`],
});
