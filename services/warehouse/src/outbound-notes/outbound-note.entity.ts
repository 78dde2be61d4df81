import type { AddressValue } from '@skald/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { OutboundNoteStatus } from './outbound-note-status.js';

/** An outbound note (出库单): what one warehouse must pick, pack and ship for one order. */
@Entity({ name: 'outbound_note' })
export class OutboundNote {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  /** Creation order (identity column): sort key and pagination cursor. */
  @Column({ type: 'bigint', insert: false, update: false })
  seq: string;

  @Column({ type: 'text', name: 'order_id' })
  orderId: string;

  @Column({ type: 'text', name: 'external_id' })
  externalId: string;

  @Column({ type: 'text', name: 'tenant_id', nullable: true })
  tenantId: string | null;

  @Column({ type: 'text' })
  warehouse: string;

  /** Which shipment batch of the order (1 first; a partial order's backordered rest is 2, …). */
  @Column({ type: 'integer' })
  batch: number;

  @Column({ type: 'text' })
  status: OutboundNoteStatus;

  @Column({ type: 'text', name: 'recipient_name' })
  recipientName: string;

  /** The recipient's phone for the label; null when neither the order's address nor its customer had one. */
  @Column({ type: 'text', name: 'recipient_phone', nullable: true })
  recipientPhone: string | null;

  @Column({ type: 'text', name: 'recipient_company', nullable: true })
  recipientCompany: string | null;

  @Column({ type: 'jsonb', name: 'ship_to' })
  shipTo: AddressValue;

  @Column({ type: 'timestamptz', name: 'created_at' })
  createdAt: Date;

  @Column({ type: 'timestamptz', name: 'confirmed_at', nullable: true })
  confirmedAt: Date | null;

  @Column({ type: 'timestamptz', name: 'picking_at', nullable: true })
  pickingAt: Date | null;

  @Column({ type: 'timestamptz', name: 'packed_at', nullable: true })
  packedAt: Date | null;

  @Column({ type: 'timestamptz', name: 'shipped_at', nullable: true })
  shippedAt: Date | null;

  @Column({ type: 'timestamptz', name: 'cancelled_at', nullable: true })
  cancelledAt: Date | null;

  @Column({ type: 'text', name: 'cancel_reason', nullable: true })
  cancelReason: string | null;

  /** Cancelled while picking or packed: the picked goods must go back to their locations. */
  @Column({ type: 'boolean', name: 'restock_required' })
  restockRequired: boolean;
}
