import type { OrderStatusView } from './order-status/order-status-view.js';

const shipments = (order: OrderStatusView): string =>
  order.shipments.map((shipment) => `${shipment.carrier} ${shipment.trackingNumber}`).join(', ');

/** The SMS text for an order's new status: short, the essentials only. */
export function orderStatusSms(order: OrderStatusView): string {
  switch (order.status) {
    case 'shipped':
      return order.shipments.length > 0
        ? `Your order ${order.externalId} has shipped. Tracking: ${shipments(order)}`
        : `Your order ${order.externalId} has shipped.`;
    case 'partially_shipped':
      return order.shipments.length > 0
        ? `Part of your order ${order.externalId} has shipped. Tracking: ${shipments(order)}`
        : `Part of your order ${order.externalId} has shipped.`;
    case 'delivered':
      return `Your order ${order.externalId} has been delivered. Enjoy!`;
    default:
      return `Your order ${order.externalId} is now ${order.status.replace(/_/g, ' ')}.`;
  }
}
