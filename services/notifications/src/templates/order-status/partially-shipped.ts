import { greet, trackingLines, type OrderStatusTemplate } from './order-status-view.js';

/** Part of the order left the warehouse; the rest follows (or is cancelled and refunded, told apart). */
export const partiallyShipped: OrderStatusTemplate = (order) => ({
  subject: `Part of your order ${order.externalId} has shipped`,
  greeting: greet(order),
  blocks: [
    `Part of your order ${order.externalId} is on its way.`,
    ...(order.shipments.length > 0 ? ['You can follow it with the carrier:', { list: trackingLines(order) }] : []),
    'We will let you know about the rest of your order.',
  ],
});
