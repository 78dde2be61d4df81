import { Column, Entity, PrimaryColumn } from 'typeorm';

/** An outbound note whose shipment was applied to stock (once: a redelivery finds it here). */
@Entity({ name: 'stock_shipment' })
export class StockShipment {
  @PrimaryColumn({ name: 'note_id', type: 'text' })
  noteId: string;

  @Column({ name: 'order_id', type: 'text' })
  orderId: string;

  @Column({ type: 'text' })
  warehouse: string;

  @Column({ name: 'shipment_id', type: 'text' })
  shipmentId: string;

  @Column({ name: 'shipped_at', type: 'timestamptz' })
  shippedAt: Date;

  @Column({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt: Date;
}
