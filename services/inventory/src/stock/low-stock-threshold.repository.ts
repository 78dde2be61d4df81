import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

@Injectable()
export class LowStockThresholdRepository {
  /** The threshold of an SKU in a warehouse; null when none is set. */
  async find(manager: EntityManager, sku: string, warehouse: string): Promise<number | null> {
    const rows: Array<{ threshold: number }> = await manager.query(
      `SELECT threshold FROM low_stock_threshold WHERE sku = $1 AND warehouse = $2`,
      [sku, warehouse],
    );
    return rows[0]?.threshold ?? null;
  }

  async put(manager: EntityManager, sku: string, warehouse: string, threshold: number): Promise<void> {
    await manager.query(
      `INSERT INTO low_stock_threshold (sku, warehouse, threshold) VALUES ($1, $2, $3)
       ON CONFLICT (sku, warehouse) DO UPDATE SET threshold = EXCLUDED.threshold, updated_at = now()`,
      [sku, warehouse, threshold],
    );
  }
}
