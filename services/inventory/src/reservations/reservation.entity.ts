import type { OnShortage } from '@skald/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { SkuQuantity } from '../common/quantities.js';
import type { Shortage } from './allocation.js';

/**
 * Lifecycle of a reservation: `active` (counted in the stock level's `reserved`) until shipped
 * (`consumed`) or given back (`released`: the order's saga cancelled it, or let an expired hold go).
 */
export const RESERVATION_STATUSES = ['active', 'consumed', 'released'] as const;
export type ReservationStatus = (typeof RESERVATION_STATUSES)[number];

/** Why a reserve command was refused; `STOCK_SHORT` is the only one retrying later could change. */
export type RejectionReason = 'STOCK_SHORT' | 'SKU_UNKNOWN' | 'SKU_NOT_SELLABLE';

/** Units of one SKU in one warehouse held for one order. */
@Entity({ name: 'reservation' })
export class Reservation {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'order_id', type: 'text' })
  orderId: string;

  /** The reserve attempt it was made for (directly, or later from a backorder of that attempt). */
  @Column({ type: 'integer' })
  attempt: number;

  @Column({ name: 'tenant_id', type: 'text', nullable: true })
  tenantId: string | null;

  @Column({ type: 'varchar', length: 64 })
  sku: string;

  @Column({ type: 'varchar', length: 64 })
  warehouse: string;

  @Column({ type: 'integer' })
  quantity: number;

  @Column({ type: 'text' })
  status: ReservationStatus;

  /** The reservation this one was split off (a partial shipment consumed part of it). */
  @Column({ name: 'split_from', type: 'uuid', nullable: true })
  splitFrom: string | null;

  /** What settled it: the outbound note that shipped it, the cancellation that released it. */
  @Column({ name: 'settled_reference', type: 'text', nullable: true })
  settledReference: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'settled_at', type: 'timestamptz', nullable: true })
  settledAt: Date | null;

  /** End of the hold; null once pinned (its outbound note was confirmed) or when consumed. */
  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt: Date | null;

  /** When the sweeper told the order's saga that the hold ran out (at most once). */
  @Column({ name: 'expiry_notified_at', type: 'timestamptz', nullable: true })
  expiryNotifiedAt: Date | null;
}

/**
 * A reserve command's decision for one attempt of an order. A re-sent command (new message id,
 * same order and attempt) gets the same decision again instead of a second evaluation.
 */
@Entity({ name: 'reservation_request' })
export class ReservationRequest {
  @PrimaryColumn({ name: 'order_id', type: 'text' })
  orderId: string;

  @PrimaryColumn({ type: 'integer' })
  attempt: number;

  @Column({ name: 'on_shortage', type: 'text' })
  onShortage: OnShortage;

  /** The saga that asked: events about this attempt later (backorder allocated, expiry) carry it. */
  @Column({ name: 'correlation_id', type: 'text', nullable: true })
  correlationId: string | null;

  /** The hold the command asked for; null: the configured hold, counted from each reservation. */
  @Column({ name: 'hold_until', type: 'timestamptz', nullable: true })
  holdUntil: Date | null;

  @Column({ name: 'tenant_id', type: 'text', nullable: true })
  tenantId: string | null;

  /** The requested quantities, summed per SKU. */
  @Column({ type: 'jsonb' })
  lines: SkuQuantity[];

  @Column({ type: 'text' })
  outcome: 'reserved' | 'rejected';

  @Column({ type: 'text', nullable: true })
  reason: RejectionReason | null;

  @Column({ type: 'jsonb', nullable: true })
  shortages: Shortage[] | null;

  /** `take_available`: what could not be reserved and does not wait. */
  @Column({ type: 'jsonb', nullable: true })
  unavailable: SkuQuantity[] | null;

  @Column({ name: 'requested_at', type: 'timestamptz' })
  requestedAt: Date;
}
