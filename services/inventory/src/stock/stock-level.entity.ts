import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The stock of one SKU in one warehouse. `reserved` counts the active reservations, `quarantined`
 * the damaged returned units (on hand, never available); what can still be reserved is
 * `onHand - reserved - quarantined`. The database keeps reserved + quarantined <= onHand.
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

  @Column({ type: 'integer' })
  quarantined: number;

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
  quarantined: number;
}

/** What of a level can still be reserved: on hand, neither reserved nor quarantined. */
export function availableOf(level: { onHand: number; reserved: number; quarantined: number }): number {
  return level.onHand - level.reserved - level.quarantined;
}

/** A stock level as the stock view shows it, with the warehouse's low-stock threshold for the SKU. */
export interface StockLevelView extends AllocatableStock {
  lowStockThreshold: number | null;
}
