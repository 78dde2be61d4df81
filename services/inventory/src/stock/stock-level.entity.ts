import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The stock of one SKU in one warehouse. `reserved` counts the active reservations; what can
 * still be reserved is `onHand - reserved`. The database keeps 0 <= reserved <= onHand.
 */
@Entity({ name: 'stock_level' })
export class StockLevel {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  sku: string;

  @PrimaryColumn({ type: 'varchar', length: 64 })
  warehouse: string;

  @Column({ name: 'on_hand', type: 'integer' })
  onHand: number;

  @Column({ type: 'integer' })
  reserved: number;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

/** A stock level with its warehouse's priority, as reservations allocate from it. */
export interface AllocatableStock {
  sku: string;
  warehouse: string;
  priority: number;
  onHand: number;
  reserved: number;
}

/** A stock level as the stock view shows it, with the warehouse's low-stock threshold for the SKU. */
export interface StockLevelView extends AllocatableStock {
  lowStockThreshold: number | null;
}
