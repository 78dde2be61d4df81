import { compareIdentifiers } from '../common/identifiers.js';

export interface StockToAllocate {
  sku: string;
  warehouse: string;
  priority: number;
  onHand: number;
  reserved: number;
}

export interface Allocation {
  sku: string;
  warehouse: string;
  quantity: number;
}

export interface Shortage {
  sku: string;
  requested: number;
  /** Available across all warehouses. */
  available: number;
}

export type AllocationResult = { ok: true; allocations: Allocation[] } | { ok: false; shortages: Shortage[] };

/**
 * Allocates requested quantities (per SKU) from stock, all or nothing: each SKU is taken from
 * the warehouses by priority (lowest first, ties by code), split over as many as needed. When
 * any SKU cannot be fully covered, nothing is allocated and every short SKU is reported.
 */
export function allocate(requested: ReadonlyMap<string, number>, stock: readonly StockToAllocate[]): AllocationResult {
  const allocations: Allocation[] = [];
  const shortages: Shortage[] = [];
  for (const [sku, quantity] of requested) {
    const sources = stock
      .filter((level) => level.sku === sku && level.onHand > level.reserved)
      .sort((a, b) => a.priority - b.priority || compareIdentifiers(a.warehouse, b.warehouse));
    const available = sources.reduce((sum, level) => sum + level.onHand - level.reserved, 0);
    if (available < quantity) {
      shortages.push({ sku, requested: quantity, available });
      continue;
    }
    let missing = quantity;
    for (const level of sources) {
      if (missing === 0) break;
      const taken = Math.min(missing, level.onHand - level.reserved);
      allocations.push({ sku, warehouse: level.warehouse, quantity: taken });
      missing -= taken;
    }
  }
  return shortages.length > 0 ? { ok: false, shortages } : { ok: true, allocations };
}
