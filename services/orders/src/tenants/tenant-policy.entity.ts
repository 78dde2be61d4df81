import type { PartialRemainder, ShortageMode } from '@skald/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A platform's review settings (replica of the gateway's PlatformRegistered). */
@Entity('tenant_policy')
export class TenantPolicyEntity {
  @PrimaryColumn('text', { name: 'tenant_id' })
  tenantId: string;

  @Column('text')
  name: string;

  @Column('numeric', { name: 'price_tolerance_pct', precision: 5, scale: 2 })
  priceTolerancePct: string;

  @Column('numeric', { name: 'review_amount_threshold', precision: 14, scale: 4 })
  reviewAmountThreshold: string;

  @Column('text', { name: 'shortage_mode', default: 'reject' })
  shortageMode: ShortageMode;

  @Column('int', { name: 'backorder_days', default: 14 })
  backorderDays: number;

  @Column('text', { name: 'partial_remainder', default: 'backorder' })
  partialRemainder: PartialRemainder;

  /** How far ahead an order's own backorder deadline may be, in days. */
  @Column('int', { name: 'max_backorder_days', default: 90 })
  maxBackorderDays: number;

  @Column('timestamptz', { name: 'updated_at', default: () => 'now()' })
  updatedAt: Date;
}
