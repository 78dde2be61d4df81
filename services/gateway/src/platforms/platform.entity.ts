import type { PartialRemainder, ShortageMode } from '@skald/contracts';
import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** An e-commerce platform: a tenant of Skald, with its review settings. */
@Entity('platform')
export class Platform {
  /** The tenant id every service scopes the platform's data by. */
  @PrimaryColumn('uuid')
  id: string;

  @Column('text')
  name: string;

  /** Decimal string (numeric(5,2)). */
  @Column('numeric', { name: 'price_tolerance_pct', precision: 5, scale: 2 })
  priceTolerancePct: string;

  /** Decimal string (numeric(14,4)). */
  @Column('numeric', { name: 'review_amount_threshold', precision: 14, scale: 4 })
  reviewAmountThreshold: string;

  /** Default shortage policy of the platform's orders: reject, backorder or partial. */
  @Column('text', { name: 'shortage_mode', default: 'reject' })
  shortageMode: ShortageMode;

  /** A backorder's deadline in days after the order is placed. */
  @Column('int', { name: 'backorder_days', default: 14 })
  backorderDays: number;

  /** How far ahead an order's own backorder deadline may be, in days (at least backorderDays). */
  @Column('int', { name: 'max_backorder_days', default: 90 })
  maxBackorderDays: number;

  /** partial: what happens to the rest (backorder or cancel). */
  @Column('text', { name: 'partial_remainder', default: 'backorder' })
  partialRemainder: PartialRemainder;

  /** Its API keys' sustained requests per second (burst: twice as many); null: the gateway's default. */
  @Column('int', { name: 'rate_limit_per_second', nullable: true })
  rateLimitPerSecond: number | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
