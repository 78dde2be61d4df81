import { renderEmail, type RenderedEmail } from './layout.js';

export interface LowStockView {
  sku: string;
  warehouse: string;
  available: number;
  onHand: number;
  reserved: number;
  threshold: number;
}

/** Tells purchasing that an SKU's available stock in a warehouse fell below its threshold (库存预警). */
export function lowStockEmail(alert: LowStockView): RenderedEmail {
  return renderEmail(
    {
      subject: `[${alert.warehouse}] Low stock: ${alert.sku} (${alert.available} available, threshold ${alert.threshold})`,
      blocks: [
        `The available stock of ${alert.sku} in warehouse ${alert.warehouse} fell below its low-stock threshold.`,
        {
          list: [
            `Available: ${alert.available}`,
            `On hand: ${alert.onHand}`,
            `Reserved for orders: ${alert.reserved}`,
            `Threshold: ${alert.threshold}`,
          ],
        },
        'Please plan its replenishment.',
      ],
    },
    'Skald notifications',
  );
}
