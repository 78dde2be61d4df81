import { greet, type OrderStatusTemplate } from './order-status-view.js';

/** Some items are short: what is in stock is kept for the order, the rest waits for replenishment. */
export const backordered: OrderStatusTemplate = (order) => ({
  subject: `Your order ${order.externalId} is waiting for stock`,
  greeting: greet(order),
  blocks: [
    `Some items of your order ${order.externalId} are temporarily out of stock.`,
    'We have set aside what we have and will ship your order as soon as the rest arrives. We will let you know when it ships.',
  ],
});
