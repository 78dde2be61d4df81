import { Column, Entity, PrimaryColumn } from 'typeorm';

/** What inventory reserved for the order (replica of StockReserved). */
@Entity('order_reservation')
export class OrderReservationEntity {
  @PrimaryColumn('text', { name: 'reservation_id' })
  reservationId: string;

  @Column('uuid', { name: 'order_id' })
  orderId: string;

  @Column('text')
  warehouse: string;

  @Column('text')
  sku: string;

  @Column('int')
  quantity: number;

  /** 1: reserved when the order was placed; 2: received later for a partial order's backordered rest. */
  @Column('int', { default: 1 })
  batch: number;

  /** Given back to stock (cancellation, expiry, a cancelled rest). */
  @Column('boolean', { default: false })
  released: boolean;
}

/** The order's view of an outbound note (replica of the warehouse's events). */
@Entity('order_outbound_note')
export class OrderOutboundNoteEntity {
  @PrimaryColumn('text', { name: 'note_id' })
  noteId: string;

  @Column('uuid', { name: 'order_id' })
  orderId: string;

  @Column('text')
  warehouse: string;

  @Column('text')
  status: string;

  @Column('int', { default: 1 })
  batch: number;

  @Column('jsonb', { nullable: true })
  lines: Array<{ sku: string; quantity: number }> | null;

  @Column('timestamptz', { name: 'updated_at', default: () => 'now()' })
  updatedAt: Date;
}

@Entity('order_shipment')
export class OrderShipmentEntity {
  @PrimaryColumn('text', { name: 'shipment_id' })
  shipmentId: string;

  @Column('uuid', { name: 'order_id' })
  orderId: string;

  @Column('text', { name: 'note_id' })
  noteId: string;

  @Column('text')
  warehouse: string;

  @Column('text')
  carrier: string;

  @Column('text', { name: 'tracking_number' })
  trackingNumber: string;

  @Column('timestamptz', { name: 'shipped_at' })
  shippedAt: Date;

  @Column('timestamptz', { name: 'delivered_at', nullable: true })
  deliveredAt: Date | null;
}
