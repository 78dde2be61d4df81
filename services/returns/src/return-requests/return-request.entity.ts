import type { ReturnStatus } from '@skald/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';

export type Resolution = 'refund' | 'exchange';

/** A return (RMA): what the customer sends back, why, and what they get for it. Its saga: `saga` row of type `return`, same id. */
@Entity('return_request')
export class ReturnRequestEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column('text', { name: 'rma_number' })
  rmaNumber: string;

  @Column('text', { name: 'tenant_id' })
  tenantId: string;

  @Column('uuid', { name: 'order_id' })
  orderId: string;

  @Column('text')
  status: ReturnStatus;

  @Column('text')
  resolution: Resolution;

  /** What the returned units are worth at the order's prices (before inspection). */
  @Column('numeric', { precision: 19, scale: 4 })
  amount: string;

  @Column('char', { length: 3 })
  currency: string;

  /** Why the policy sent it to a reviewer (empty: approved at once). */
  @Column('text', { name: 'review_reasons', array: true })
  reviewReasons: string[];

  @Column('jsonb', { nullable: true })
  decision: { decision: 'approve' | 'reject'; reason: string; decidedBy: string; decidedAt: string } | null;

  /** Why it is in its status (a rejection's or cancellation's reason). */
  @Column('text', { name: 'status_reason', nullable: true })
  statusReason: string | null;

  /** The refund instructed (after inspection), never above what is left of the payment. */
  @Column('numeric', { name: 'refund_amount', precision: 19, scale: 4, nullable: true })
  refundAmount: string | null;

  /** An exchange's replacement order. */
  @Column('uuid', { name: 'replacement_order_id', nullable: true })
  replacementOrderId: string | null;

  @Column('timestamptz', { name: 'created_at', default: () => 'now()' })
  createdAt: Date;

  @Column('timestamptz', { name: 'updated_at', default: () => 'now()' })
  updatedAt: Date;
}

@Entity('return_line')
export class ReturnLineEntity {
  @PrimaryColumn('uuid', { name: 'return_id' })
  returnId: string;

  @PrimaryColumn('int', { name: 'line_no' })
  lineNo: number;

  @Column('text')
  sku: string;

  @Column('int')
  quantity: number;

  @Column('text', { name: 'reason_code' })
  reasonCode: string;

  @Column('text', { nullable: true })
  comment: string | null;
}
