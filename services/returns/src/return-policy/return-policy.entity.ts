import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A platform's return policy; a platform without a row has the defaults (DEFAULT_RETURN_POLICY). */
@Entity('return_policy')
export class ReturnPolicyEntity {
  @PrimaryColumn('text', { name: 'tenant_id' })
  tenantId: string;

  @Column('int', { name: 'window_days' })
  windowDays: number;

  @Column('text', { name: 'review_reasons', array: true })
  reviewReasons: string[];

  @Column('numeric', { name: 'review_above', precision: 19, scale: 4, nullable: true })
  reviewAbove: string | null;

  @Column('numeric', { name: 'scrap_refund_percent', precision: 5, scale: 2 })
  scrapRefundPercent: string;

  @Column('timestamptz', { name: 'updated_at', default: () => 'now()' })
  updatedAt: Date;
}
