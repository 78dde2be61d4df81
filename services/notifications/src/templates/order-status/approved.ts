import { greet, type OrderStatusTemplate } from './order-status-view.js';

export const approved: OrderStatusTemplate = (order) => ({
  subject: `Your order ${order.externalId} is confirmed`,
  greeting: greet(order),
  blocks: [`Good news: your order ${order.externalId} is confirmed. We are setting your items aside now.`],
});
