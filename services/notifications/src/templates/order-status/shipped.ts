import { greet, trackingLines, type OrderStatusTemplate } from './order-status-view.js';

export const shipped: OrderStatusTemplate = (order) => ({
  subject: `Your order ${order.externalId} has shipped`,
  greeting: greet(order),
  blocks: [
    `Your order ${order.externalId} is on its way.`,
    ...(order.shipments.length > 0 ? ['You can follow it with the carrier:', { list: trackingLines(order) }] : []),
  ],
});
