import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The tombstone of an order whose outbound notes were all cancelled (a cancel command without
 * note ids): a create command for the order that arrives later creates nothing.
 */
@Entity({ name: 'cancelled_order' })
export class CancelledOrder {
  @PrimaryColumn({ type: 'text', name: 'order_id' })
  orderId: string;

  @Column({ type: 'text', name: 'tenant_id', nullable: true })
  tenantId: string | null;

  @Column({ type: 'text' })
  reason: string;

  @Column({ type: 'timestamptz', name: 'cancelled_at' })
  cancelledAt: Date;
}
