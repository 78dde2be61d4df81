import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One line of an order's status history. */
@Entity('order_status_entry')
export class OrderStatusEntryEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column('uuid', { name: 'order_id' })
  orderId: string;

  @Column('text')
  status: string;

  @Column('text', { nullable: true })
  reason: string | null;

  @Column('timestamptz', { default: () => 'clock_timestamp()' })
  at: Date;
}
