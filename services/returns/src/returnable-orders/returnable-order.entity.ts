import type { CustomerValue } from '@skald/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** What returns keeps of an order (from orders' and the warehouse's events): no call to another service when a return is asked for. */
@Entity('returnable_order')
export class ReturnableOrderEntity {
  @PrimaryColumn('uuid', { name: 'order_id' })
  orderId: string;

  @Column('text', { name: 'tenant_id' })
  tenantId: string;

  @Column('text', { name: 'external_id' })
  externalId: string;

  @Column('text')
  channel: string;

  @Column('char', { length: 3 })
  currency: string;

  @Column('jsonb')
  customer: CustomerValue;

  @Column('text', { name: 'payment_status' })
  paymentStatus: string;

  /** What the order is worth (what was paid, when paid). */
  @Column('numeric', { name: 'total_amount', precision: 19, scale: 4 })
  totalAmount: string;

  @Column('timestamptz', { name: 'placed_at' })
  placedAt: Date;
}

@Entity('returnable_order_line')
export class ReturnableOrderLineEntity {
  @PrimaryColumn('uuid', { name: 'order_id' })
  orderId: string;

  @PrimaryColumn('text')
  sku: string;

  @Column('numeric', { name: 'unit_price', precision: 19, scale: 4 })
  unitPrice: string;

  @Column('int')
  ordered: number;
}
