import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Why stock changed: goods received, reserved for an order (directly or from its backorder),
 * shipped, a reservation given back (`release`: cancellation, an expired hold let go), or returned
 * goods booked by their grade: sellable back on hand (`return_restocked`), damaged on hand but
 * quarantined (`return_quarantined`), scrap written off (`return_written_off`: no level changes,
 * `writtenOff` records the units).
 */
export const MOVEMENT_KINDS = ['receipt', 'reserve', 'ship', 'release', 'return_restocked', 'return_quarantined', 'return_written_off'] as const;
export type MovementKind = (typeof MOVEMENT_KINDS)[number];

/**
 * One entry of the stock movement ledger: every change of a stock level, with the level after
 * it. A stock level always equals the sum of its entries' deltas.
 */
@Entity({ name: 'stock_movement' })
export class StockMovement {
  /** bigint identity, read as a string. */
  @PrimaryColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'timestamptz' })
  at: Date;

  @Column({ type: 'varchar', length: 64 })
  sku: string;

  @Column({ type: 'varchar', length: 64 })
  warehouse: string;

  @Column({ type: 'text' })
  kind: MovementKind;

  @Column({ name: 'on_hand_delta', type: 'integer' })
  onHandDelta: number;

  @Column({ name: 'reserved_delta', type: 'integer' })
  reservedDelta: number;

  @Column({ name: 'on_hand_after', type: 'integer' })
  onHandAfter: number;

  @Column({ name: 'reserved_after', type: 'integer' })
  reservedAfter: number;

  @Column({ name: 'quarantined_delta', type: 'integer' })
  quarantinedDelta: number;

  @Column({ name: 'quarantined_after', type: 'integer' })
  quarantinedAfter: number;

  /** Units written off (scrapped returns, kind `return_written_off`); 0 otherwise. */
  @Column({ name: 'written_off', type: 'integer' })
  writtenOff: number;

  @Column({ name: 'order_id', type: 'text', nullable: true })
  orderId: string | null;

  /** The document that caused it: the receipt, the reservation, the outbound note, the release. */
  @Column({ type: 'text', nullable: true })
  reference: string | null;

  /** Why, when the document does not say (a release's cancellation reason). */
  @Column({ type: 'text', nullable: true })
  reason: string | null;
}

/** A change to apply to one stock level. */
export interface Movement {
  sku: string;
  warehouse: string;
  kind: MovementKind;
  onHandDelta: number;
  reservedDelta: number;
  /** Default 0. */
  quarantinedDelta?: number;
  /** Units written off without a level change (`return_written_off`); default 0. */
  writtenOff?: number;
  orderId?: string | null;
  reference?: string | null;
  reason?: string | null;
}
