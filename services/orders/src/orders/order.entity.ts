import type { AddressValue, CustomerValue, OrderStatus, PartialRemainder, ShortageMode } from '@skald/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';

export interface ReviewReason {
  code: string;
  message: string;
  /** The figures behind the reason, for the reviewer (AMOUNT_MISMATCH: paymentAmount, linesTotal). */
  details?: Record<string, string>;
}

/** The review of an order: automatic outcome, then a reviewer's decision for held orders. */
export interface ReviewRecord {
  outcome: 'approved' | 'rejected' | 'on_hold';
  reasons: ReviewReason[];
  reviewedAt: string;
  decision?: { decision: 'approve' | 'reject'; reason: string; decidedBy: string; decidedAt: string };
}

/** The return (RMA) whose goods a replacement order replaces, and the order they came from. */
export interface ReplacementOf {
  returnId: string;
  rmaNumber: string;
  orderId: string;
}

/** What happens when stock is short (resolved from the platform's default at review when absent). */
export interface ShortagePolicy {
  mode: ShortageMode;
  /** ISO time; backorder and partial-with-backorder only. */
  backorderDeadline: string | null;
  partialRemainder: PartialRemainder | null;
}

@Entity('sales_order')
export class OrderEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column('text', { name: 'tenant_id' })
  tenantId: string;

  @Column('text', { name: 'external_id' })
  externalId: string;

  @Column('text')
  channel: string;

  @Column('text')
  status: OrderStatus;

  @Column('text', { name: 'customer_id' })
  customerId: string;

  @Column('jsonb')
  customer: CustomerValue;

  @Column('char', { length: 3 })
  currency: string;

  @Column('numeric', { name: 'total_amount', precision: 14, scale: 4 })
  totalAmount: string;

  @Column('jsonb', { name: 'shipping_address' })
  shippingAddress: AddressValue;

  @Column('text', { name: 'payment_method' })
  paymentMethod: string;

  @Column('text', { name: 'payment_status' })
  paymentStatus: 'pending' | 'paid';

  @Column('numeric', { name: 'payment_amount', precision: 14, scale: 4 })
  paymentAmount: string;

  @Column('date', { name: 'requested_delivery_date', nullable: true })
  requestedDeliveryDate: string | null;

  @Column('jsonb', { nullable: true })
  review: ReviewRecord | null;

  @Column('jsonb', { name: 'shortage_policy', nullable: true })
  shortagePolicy: ShortagePolicy | null;

  /** A replacement order (an exchange): the return it replaces the goods of. */
  @Column('jsonb', { name: 'replacement_for', nullable: true })
  replacementFor: ReplacementOf | null;

  @Column('timestamptz', { name: 'created_at', default: () => 'now()' })
  createdAt: Date;

  @Column('timestamptz', { name: 'updated_at', default: () => 'now()' })
  updatedAt: Date;
}
