import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('order_line')
export class OrderLineEntity {
  @PrimaryColumn('uuid', { name: 'order_id' })
  orderId: string;

  @PrimaryColumn('int', { name: 'line_no' })
  lineNo: number;

  @Column('text')
  sku: string;

  @Column('int')
  quantity: number;

  @Column('numeric', { name: 'unit_price', precision: 14, scale: 4 })
  unitPrice: string;

  /** Units that will not ship: a partial order's cancelled rest. */
  @Column('int', { name: 'cancelled_quantity', default: 0 })
  cancelledQuantity: number;
}
