import { greet, type OrderStatusTemplate } from './order-status-view.js';

export const delivered: OrderStatusTemplate = (order) => ({
  subject: `Your order ${order.externalId} has been delivered`,
  greeting: greet(order),
  blocks: [
    `Your order ${order.externalId} has been delivered. We hope you enjoy it.`,
    'If something is not right, you can return it within the return period.',
  ],
});
