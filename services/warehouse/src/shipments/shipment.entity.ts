import { Column, Entity, PrimaryColumn } from 'typeorm';

/** What left the warehouse for one outbound note, with its carrier and, later, its delivery. */
@Entity({ name: 'shipment' })
export class Shipment {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'uuid', name: 'note_id' })
  noteId: string;

  @Column({ type: 'text', name: 'order_id' })
  orderId: string;

  @Column({ type: 'text', name: 'tenant_id', nullable: true })
  tenantId: string | null;

  @Column({ type: 'text' })
  carrier: string;

  @Column({ type: 'text', name: 'tracking_number' })
  trackingNumber: string;

  @Column({ type: 'timestamptz', name: 'shipped_at' })
  shippedAt: Date;

  @Column({ type: 'timestamptz', name: 'delivered_at', nullable: true })
  deliveredAt: Date | null;
}
