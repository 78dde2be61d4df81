import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { AllocatableStock, StockLevelView } from './stock-level.entity.js';

interface LevelRow {
  sku: string;
  warehouse: string;
  priority: number;
  on_hand: number;
  reserved: number;
  quarantined: number;
}

const toAllocatable = (row: LevelRow): AllocatableStock => ({
  sku: row.sku,
  warehouse: row.warehouse,
  priority: row.priority,
  onHand: row.on_hand,
  reserved: row.reserved,
  quarantined: row.quarantined,
});

/**
 * Stock levels. Every method that writes or locks takes rows in (sku, warehouse) order — the
 * primary key's order, "C" collation — so concurrent movements never deadlock.
 */
@Injectable()
export class StockLevelRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Creates the missing (empty) levels of these SKUs in a warehouse. */
  async insertMissing(manager: EntityManager, warehouse: string, skus: readonly string[]): Promise<void> {
    await manager.query(
      `INSERT INTO stock_level (sku, warehouse)
       SELECT sku, $2 FROM unnest($1::text[]) AS sku ORDER BY sku COLLATE "C"
       ON CONFLICT (sku, warehouse) DO NOTHING`,
      [skus, warehouse],
    );
  }

  /**
   * Takes the allocation lock of each SKU (transaction-scoped, in SKU order): whoever changes what
   * can be allocated of an SKU (reserve, receipt, release) or what waits for it (backorders) holds
   * it first, so a receipt never misses a backorder being recorded, even in a warehouse the
   * reserve could not lock because its level did not exist yet.
   */
  async lockSkus(manager: EntityManager, skus: readonly string[]): Promise<void> {
    if (skus.length === 0) return;
    await manager.query(
      `SELECT pg_advisory_xact_lock(hashtextextended('inventory.sku:' || sku, 0))
         FROM (SELECT DISTINCT sku COLLATE "C" AS sku FROM unnest($1::text[]) AS sku ORDER BY 1) AS ordered`,
      [skus],
    );
  }

  /** Locks (FOR UPDATE) every level of these SKUs, in every warehouse. */
  async lockAllOf(manager: EntityManager, skus: readonly string[]): Promise<AllocatableStock[]> {
    const rows: LevelRow[] = await manager.query(
      `SELECT s.sku, s.warehouse, w.priority, s.on_hand, s.reserved, s.quarantined
         FROM stock_level s JOIN warehouse w ON w.code = s.warehouse
        WHERE s.sku = ANY($1::text[])
        ORDER BY s.sku, s.warehouse
        FOR UPDATE OF s`,
      [skus],
    );
    return rows.map(toAllocatable);
  }

  /** Locks (FOR UPDATE) the levels of these SKUs in one warehouse. */
  async lockIn(manager: EntityManager, warehouse: string, skus: readonly string[]): Promise<AllocatableStock[]> {
    const rows: LevelRow[] = await manager.query(
      `SELECT s.sku, s.warehouse, w.priority, s.on_hand, s.reserved, s.quarantined
         FROM stock_level s JOIN warehouse w ON w.code = s.warehouse
        WHERE s.warehouse = $1 AND s.sku = ANY($2::text[])
        ORDER BY s.sku, s.warehouse
        FOR UPDATE OF s`,
      [warehouse, skus],
    );
    return rows.map(toAllocatable);
  }

  /** The levels of an SKU with their low-stock thresholds, by warehouse priority then code. */
  async levelsOf(sku: string, manager: EntityManager = this.dataSource.manager): Promise<StockLevelView[]> {
    const rows: Array<LevelRow & { threshold: number | null }> = await manager.query(
      `SELECT s.sku, s.warehouse, w.priority, s.on_hand, s.reserved, s.quarantined, t.threshold
         FROM stock_level s
         JOIN warehouse w ON w.code = s.warehouse
         LEFT JOIN low_stock_threshold t ON t.sku = s.sku AND t.warehouse = s.warehouse
        WHERE s.sku = $1
        ORDER BY w.priority, w.code`,
      [sku],
    );
    return rows.map((row) => ({ ...toAllocatable(row), lowStockThreshold: row.threshold }));
  }
}
