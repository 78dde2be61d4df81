import { greet, type OrderStatusTemplate } from './order-status-view.js';

export const cancelled: OrderStatusTemplate = (order) => ({
  subject: `Your order ${order.externalId} has been cancelled`,
  greeting: greet(order),
  blocks: [
    `Your order ${order.externalId} has been cancelled.`,
    ...(order.reason ? [`Reason: ${order.reason}`] : []),
    'If you have already paid, the amount will be refunded to you.',
  ],
});
