import type { ReturnGrade } from '@skald/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { ReturnReceiptStatus } from './return-receipt-status.js';

/**
 * The inbound receipt of one return (RMA). `rmaNumber`, `orderId`, `warehouse` and `expectedAt`
 * are null only for a return cancelled before the warehouse heard of it.
 */
@Entity({ name: 'return_receipt' })
export class ReturnReceipt {
  @PrimaryColumn({ type: 'uuid', name: 'return_id' })
  returnId: string;

  @Column({ type: 'text', name: 'rma_number', nullable: true })
  rmaNumber: string | null;

  @Column({ type: 'text', name: 'order_id', nullable: true })
  orderId: string | null;

  @Column({ type: 'text', name: 'tenant_id', nullable: true })
  tenantId: string | null;

  @Column({ type: 'text', nullable: true })
  warehouse: string | null;

  @Column({ type: 'text' })
  status: ReturnReceiptStatus;

  @Column({ type: 'timestamptz', name: 'expected_at', nullable: true })
  expectedAt: Date | null;

  @Column({ type: 'timestamptz', name: 'received_at', nullable: true })
  receivedAt: Date | null;

  @Column({ type: 'timestamptz', name: 'inspected_at', nullable: true })
  inspectedAt: Date | null;

  @Column({ type: 'timestamptz', name: 'cancelled_at', nullable: true })
  cancelledAt: Date | null;

  @Column({ type: 'text', name: 'cancel_reason', nullable: true })
  cancelReason: string | null;
}

/** What a return brings back of one SKU: expected, and received once the goods arrived. */
@Entity({ name: 'return_receipt_line' })
export class ReturnReceiptLine {
  @PrimaryColumn({ type: 'uuid', name: 'return_id' })
  returnId: string;

  @PrimaryColumn({ type: 'text' })
  sku: string;

  @Column({ type: 'integer', name: 'expected_quantity' })
  expectedQuantity: number;

  @Column({ type: 'integer', name: 'received_quantity', nullable: true })
  receivedQuantity: number | null;
}

/** A line of a return's inspection, in the order the inspector gave them. */
@Entity({ name: 'return_inspection_line' })
export class ReturnInspectionLine {
  @PrimaryColumn({ type: 'uuid', name: 'return_id' })
  returnId: string;

  @PrimaryColumn({ type: 'integer', name: 'line_no' })
  lineNo: number;

  @Column({ type: 'text' })
  sku: string;

  @Column({ type: 'text' })
  grade: ReturnGrade;

  @Column({ type: 'integer' })
  quantity: number;

  @Column({ type: 'text', nullable: true })
  note: string | null;
}
