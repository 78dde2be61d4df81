import { compareIdentifiers } from './identifiers.js';

export interface SkuQuantity {
  sku: string;
  quantity: number;
}

/**
 * Sums the quantities of lines per SKU (an order may list the same SKU twice), in lock order.
 */
export function sumBySku(lines: readonly SkuQuantity[]): Map<string, number> {
  const totals = new Map<string, number>();
  for (const line of lines) totals.set(line.sku, (totals.get(line.sku) ?? 0) + line.quantity);
  return new Map([...totals].sort(([a], [b]) => compareIdentifiers(a, b)));
}
