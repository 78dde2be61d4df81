import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A platform's webhook subscription, replicated from the gateway (which owns it) to sign deliveries. */
@Entity('webhook_subscription')
export class WebhookSubscription {
  @PrimaryColumn({ type: 'text' })
  id: string;

  @Column({ name: 'tenant_id', type: 'text' })
  tenantId: string;

  @Column({ type: 'text' })
  url: string;

  /** Event types (`order.shipped`) or `*`. */
  @Column({ type: 'text', array: true })
  events: string[];

  /** Standard Webhooks signing secret (`whsec_…`). Never leaves this service. */
  @Column({ type: 'text' })
  secret: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
