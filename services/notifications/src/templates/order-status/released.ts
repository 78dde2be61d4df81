import { greet, type OrderStatusTemplate } from './order-status-view.js';

export const released: OrderStatusTemplate = (order) => ({
  subject: `Your order ${order.externalId} is being prepared`,
  greeting: greet(order),
  blocks: [`Your order ${order.externalId} has been handed to our warehouse and is being prepared for shipment.`],
});
