import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Lifecycle of a backorder line: `waiting` for stock until every unit was allocated (`filled`)
 * or the order stopped waiting (`ended`: released, or superseded by a later reserve attempt).
 */
export const BACKORDER_STATUSES = ['waiting', 'filled', 'ended'] as const;
export type BackorderStatus = (typeof BACKORDER_STATUSES)[number];

/**
 * What an order (one reserve attempt) still waits for of one SKU. Receipts and releases allocate
 * freed stock to waiting lines first come, first served: the identity is the queue position.
 */
@Entity({ name: 'backorder_line' })
export class BackorderLine {
  /** bigint identity, read as a string. */
  @PrimaryColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'order_id', type: 'text' })
  orderId: string;

  @Column({ type: 'integer' })
  attempt: number;

  @Column({ name: 'tenant_id', type: 'text', nullable: true })
  tenantId: string | null;

  @Column({ type: 'varchar', length: 64 })
  sku: string;

  /** Backordered when the order was reserved. */
  @Column({ type: 'integer' })
  quantity: number;

  /** Reserved for it since, from receipts and releases. */
  @Column({ type: 'integer' })
  allocated: number;

  @Column({ type: 'text' })
  status: BackorderStatus;

  @Column({ name: 'queued_at', type: 'timestamptz' })
  queuedAt: Date;

  @Column({ name: 'settled_at', type: 'timestamptz', nullable: true })
  settledAt: Date | null;

  /** What ended it (`release:<order>`, `superseded:<attempt>`); null while waiting or once filled. */
  @Column({ name: 'settled_reference', type: 'text', nullable: true })
  settledReference: string | null;
}

/** The tombstone of an order released as a whole: a reserve command arriving later reserves nothing. */
@Entity({ name: 'released_order' })
export class ReleasedOrder {
  @PrimaryColumn({ name: 'order_id', type: 'text' })
  orderId: string;

  @Column({ name: 'tenant_id', type: 'text', nullable: true })
  tenantId: string | null;

  @Column({ type: 'text' })
  reason: string;

  @Column({ name: 'released_at', type: 'timestamptz' })
  releasedAt: Date;
}
