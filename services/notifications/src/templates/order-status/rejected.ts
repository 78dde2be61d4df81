import { greet, type OrderStatusTemplate } from './order-status-view.js';

export const rejected: OrderStatusTemplate = (order) => ({
  subject: `We could not accept your order ${order.externalId}`,
  greeting: greet(order),
  blocks: [
    `We are sorry: we could not accept your order ${order.externalId}.`,
    ...(order.reason ? [`Reason: ${order.reason}`] : []),
    'You have not been charged. Please contact us if you have any questions.',
  ],
});
