import type { OrderStatus } from '@skald/contracts';
import type { EmailContent } from '../layout.js';

/** What an order status template may use. */
export interface OrderStatusView {
  externalId: string;
  customerName: string;
  status: OrderStatus;
  previousStatus: OrderStatus | null;
  reason: string | null;
  shipments: Array<{ carrier: string; trackingNumber: string }>;
}

export type OrderStatusTemplate = (order: OrderStatusView) => EmailContent;

export const greet = (order: OrderStatusView): string => `Hello ${order.customerName},`;

/** `on_hold` → `on hold`. */
export const statusLabel = (status: string): string => status.replace(/_/g, ' ');

export const trackingLines = (order: OrderStatusView): string[] =>
  order.shipments.map((shipment) => `${shipment.carrier}: tracking number ${shipment.trackingNumber}`);
