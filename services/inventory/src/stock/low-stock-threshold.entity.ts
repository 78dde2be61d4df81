import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Below how many available units (on hand − reserved) of an SKU a warehouse wants a replenishment
 * alert. A movement that takes availability from at least the threshold to below it raises one.
 */
@Entity({ name: 'low_stock_threshold' })
export class LowStockThreshold {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  sku: string;

  @PrimaryColumn({ type: 'varchar', length: 64 })
  warehouse: string;

  @Column({ type: 'integer' })
  threshold: number;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
