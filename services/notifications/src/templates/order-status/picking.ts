import { greet, type OrderStatusTemplate } from './order-status-view.js';

export const picking: OrderStatusTemplate = (order) => ({
  subject: `Your order ${order.externalId} is being picked`,
  greeting: greet(order),
  blocks: [`Our warehouse is picking the items of your order ${order.externalId}.`],
});
