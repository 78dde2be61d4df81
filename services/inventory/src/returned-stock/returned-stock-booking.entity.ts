import type { GradedLineValue, ReturnedStockRefusal } from '@skald/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Inventory's one decision about a return's goods: booked (the lines, one per SKU and grade) or
 * refused (code and reason). A re-sent command is answered from it and changes nothing.
 */
@Entity({ name: 'returned_stock_booking' })
export class ReturnedStockBooking {
  @PrimaryColumn({ name: 'return_id', type: 'uuid' })
  returnId: string;

  @Column({ name: 'rma_number', type: 'text' })
  rmaNumber: string;

  @Column({ name: 'order_id', type: 'text' })
  orderId: string;

  @Column({ name: 'tenant_id', type: 'text', nullable: true })
  tenantId: string | null;

  @Column({ type: 'text' })
  warehouse: string;

  /** Booked: the lines as booked; refused: the lines as asked. */
  @Column({ type: 'jsonb' })
  lines: GradedLineValue[];

  @Column({ type: 'text' })
  outcome: 'booked' | 'refused';

  @Column({ type: 'text', nullable: true })
  code: ReturnedStockRefusal | null;

  @Column({ type: 'text', nullable: true })
  reason: string | null;

  @Column({ name: 'decided_at', type: 'timestamptz' })
  decidedAt: Date;
}
