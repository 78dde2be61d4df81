import { Column, Entity, PrimaryColumn } from 'typeorm';

export const DELIVERY_CHANNELS = ['email', 'sms', 'webhook'] as const;
export type DeliveryChannel = (typeof DELIVERY_CHANNELS)[number];

/** `sending`: claimed by a dispatcher until `next_attempt_at` (the lease); then it is due again. */
export const DELIVERY_STATUSES = ['pending', 'sending', 'sent', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export interface EmailPayload {
  subject: string;
  text: string;
  html: string;
}

export interface SmsPayload {
  body: string;
}

export interface WebhookPayload {
  /** The JSON body POSTed to the subscription's URL. */
  body: Record<string, unknown>;
}

export interface PayloadOf {
  email: EmailPayload;
  sms: SmsPayload;
  webhook: WebhookPayload;
}

/** One message to one target on one channel, with its delivery state. */
@Entity('delivery')
export class Delivery {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  /** The message that caused it: with channel, target and topic, what makes a delivery happen once. */
  @Column({ name: 'source_message_id', type: 'uuid' })
  sourceMessageId: string;

  @Column({ type: 'text' })
  channel: DeliveryChannel;

  /** E-mail address, phone number or webhook subscription id. */
  @Column({ type: 'text' })
  target: string;

  /** What within the source message it is about, when one message makes several deliveries to a target. */
  @Column({ type: 'text' })
  topic: string;

  @Column({ name: 'tenant_id', type: 'text', nullable: true })
  tenantId: string | null;

  @Column({ name: 'order_id', type: 'text', nullable: true })
  orderId: string | null;

  /** The saga (order or return) of the message that caused it, for the saga timeline. */
  @Column({ name: 'correlation_id', type: 'text', nullable: true })
  correlationId: string | null;

  @Column({ type: 'jsonb' })
  payload: EmailPayload | SmsPayload | WebhookPayload;

  @Column({ type: 'text' })
  status: DeliveryStatus;

  @Column({ type: 'integer' })
  attempts: number;

  @Column({ name: 'next_attempt_at', type: 'timestamptz', nullable: true })
  nextAttemptAt: Date | null;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt: Date | null;
}
