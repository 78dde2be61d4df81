import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A platform's webhook subscription. Its signing secret is not kept here: notifications holds it. */
@Entity('webhook_subscription')
export class WebhookSubscription {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid', { name: 'tenant_id' })
  tenantId: string;

  @Column('text')
  url: string;

  /** Public event names: `order.<status>` or `*`. */
  @Column('text', { array: true })
  events: string[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
