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

  /**
   * The Standard Webhooks signing secret (`whsec_…`) sealed under WEBHOOK_SECRET_KEY with the
   * subscription id as associated data. Null only on a row stored in plain text by an older
   * version, until the service seals it at start.
   */
  @Column({ name: 'encrypted_secret', type: 'text', nullable: true })
  encryptedSecret: string | null;

  /** A secret stored in plain text by an older version; sealed into `encryptedSecret` and cleared at start. */
  @Column({ type: 'text', nullable: true })
  secret: string | null;

  /** The secret a rotation replaced, sealed likewise: it signs as well until `previousSecretExpiresAt`. */
  @Column({ name: 'previous_encrypted_secret', type: 'text', nullable: true })
  previousEncryptedSecret: string | null;

  @Column({ name: 'previous_secret_expires_at', type: 'timestamptz', nullable: true })
  previousSecretExpiresAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
