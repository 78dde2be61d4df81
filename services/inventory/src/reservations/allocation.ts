import { compareIdentifiers } from '../common/identifiers.js';
import { availableOf } from '../stock/stock-level.entity.js';

export interface StockToAllocate {
  sku: string;
  warehouse: string;
  priority: number;
  onHand: number;
  reserved: number;
  /** Damaged returned units: on hand, never allocated. */
  quarantined: number;
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

/** What could be taken of each SKU, and what is missing of those that could not be fully covered. */
export interface PartialAllocation {
  allocations: Allocation[];
  /** Per SKU short of stock (in the order requested): how much is missing. */
  missing: Map<string, number>;
}

/**
 * Allocates requested quantities (per SKU) from stock, all or nothing: each SKU is taken from
 * the warehouses by priority (lowest first, ties by code), split over as many as needed. When
 * any SKU cannot be fully covered, nothing is allocated and every short SKU is reported.
 */
export function allocate(requested: ReadonlyMap<string, number>, stock: readonly StockToAllocate[]): AllocationResult {
  const allocations: Allocation[] = [];
  const shortages: Shortage[] = [];
  for (const [sku, quantity] of requested) {
    const sources = sourcesOf(sku, stock);
    const available = sources.reduce((sum, level) => sum + availableOf(level), 0);
    if (available < quantity) {
      shortages.push({ sku, requested: quantity, available });
      continue;
    }
    allocations.push(...take(sku, quantity, sources));
  }
  return shortages.length > 0 ? { ok: false, shortages } : { ok: true, allocations };
}

/**
 * Allocates as much of each requested SKU as the stock has (warehouses by priority, as
 * `allocate`), and reports what is missing: for reservations that keep what they can get
 * (backorder, take available) and for backorders filled from received or released stock.
 */
export function allocateAvailable(requested: ReadonlyMap<string, number>, stock: readonly StockToAllocate[]): PartialAllocation {
  const allocations: Allocation[] = [];
  const missing = new Map<string, number>();
  for (const [sku, quantity] of requested) {
    const taken = take(sku, quantity, sourcesOf(sku, stock));
    allocations.push(...taken);
    const short = quantity - taken.reduce((sum, allocation) => sum + allocation.quantity, 0);
    if (short > 0) missing.set(sku, short);
  }
  return { allocations, missing };
}

/** The levels of an SKU with stock to spare, lowest priority first, ties by warehouse code. */
function sourcesOf(sku: string, stock: readonly StockToAllocate[]): StockToAllocate[] {
  return stock
    .filter((level) => level.sku === sku && availableOf(level) > 0)
    .sort((a, b) => a.priority - b.priority || compareIdentifiers(a.warehouse, b.warehouse));
}

/** Takes up to `quantity` from the sources in their order. */
function take(sku: string, quantity: number, sources: readonly StockToAllocate[]): Allocation[] {
  const allocations: Allocation[] = [];
  let missing = quantity;
  for (const level of sources) {
    if (missing === 0) break;
    const taken = Math.min(missing, availableOf(level));
    allocations.push({ sku, warehouse: level.warehouse, quantity: taken });
    missing -= taken;
  }
  return allocations;
}
