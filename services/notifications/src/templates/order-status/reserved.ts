import { greet, type OrderStatusTemplate } from './order-status-view.js';

export const reserved: OrderStatusTemplate = (order) => ({
  subject: `The items of your order ${order.externalId} are reserved`,
  greeting: greet(order),
  blocks: [`The items of your order ${order.externalId} are reserved for you and will soon go to our warehouse.`],
});
