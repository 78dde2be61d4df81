import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { AllocatableStock, StockLevelView } from './stock-level.entity.js';

/** A level's columns (`s`, joined with its warehouse `w`) named as AllocatableStock's properties: the rows are those. */
const ALLOCATABLE = `s.sku, s.warehouse, w.priority, s.on_hand AS "onHand", s.reserved, s.quarantined`;

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
  lockAllOf(manager: EntityManager, skus: readonly string[]): Promise<AllocatableStock[]> {
    return manager.query(
      `SELECT ${ALLOCATABLE}
         FROM stock_level s JOIN warehouse w ON w.code = s.warehouse
        WHERE s.sku = ANY($1::text[])
        ORDER BY s.sku, s.warehouse
        FOR UPDATE OF s`,
      [skus],
    );
  }

  /** Locks (FOR UPDATE) the levels of these SKUs in one warehouse. */
  lockIn(manager: EntityManager, warehouse: string, skus: readonly string[]): Promise<AllocatableStock[]> {
    return manager.query(
      `SELECT ${ALLOCATABLE}
         FROM stock_level s JOIN warehouse w ON w.code = s.warehouse
        WHERE s.warehouse = $1 AND s.sku = ANY($2::text[])
        ORDER BY s.sku, s.warehouse
        FOR UPDATE OF s`,
      [warehouse, skus],
    );
  }

  /** The levels of an SKU with their low-stock thresholds, by warehouse priority then code. */
  levelsOf(sku: string, manager: EntityManager = this.dataSource.manager): Promise<StockLevelView[]> {
    return manager.query(
      `SELECT ${ALLOCATABLE}, t.threshold AS "lowStockThreshold"
         FROM stock_level s
         JOIN warehouse w ON w.code = s.warehouse
         LEFT JOIN low_stock_threshold t ON t.sku = s.sku AND t.warehouse = s.warehouse
        WHERE s.sku = $1
        ORDER BY w.priority, w.code`,
      [sku],
    );
  }
}
