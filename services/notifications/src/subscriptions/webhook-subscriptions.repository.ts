import { Injectable } from '@nestjs/common';
import { entityColumns } from '@skald/persistence';
import { IsNull, Not, type EntityManager } from 'typeorm';
import { WebhookSubscription } from './webhook-subscription.entity.js';

/** A subscription's columns, named as its properties. */
const SUBSCRIPTION = entityColumns(WebhookSubscription, {
  id: 'id',
  tenantId: 'tenant_id',
  url: 'url',
  events: 'events',
  encryptedSecret: 'encrypted_secret',
  secret: 'secret',
  previousEncryptedSecret: 'previous_encrypted_secret',
  previousSecretExpiresAt: 'previous_secret_expires_at',
  createdAt: 'created_at',
});

@Injectable()
export class WebhookSubscriptionsRepository {
  /** @returns false when a subscription with this id is already stored (it is left as it is). */
  async insertIfAbsent(
    manager: EntityManager,
    subscription: Pick<WebhookSubscription, 'id' | 'tenantId' | 'url' | 'events' | 'encryptedSecret'>,
  ): Promise<boolean> {
    const result = await manager
      .createQueryBuilder()
      .insert()
      .into(WebhookSubscription)
      .values(subscription)
      .orIgnore()
      .returning(['id'])
      .execute();
    return result.raw.length === 1;
  }

  /**
   * All subscriptions of a tenant, oldest first (the service caches them per tenant, see
   * WebhookSubscriptionCache, and picks those listening to an event).
   * Plain SQL on purpose (rows read as entities by entityColumns): looked up for order status events
   * on a cache miss, where TypeORM's query builder and hydration cost more CPU than the statement itself.
   */
  async findByTenant(manager: EntityManager, tenantId: string): Promise<WebhookSubscription[]> {
    const rows: object[] = await manager.query(`SELECT ${SUBSCRIPTION.list} FROM webhook_subscription WHERE tenant_id = $1 ORDER BY created_at, id`, [tenantId]);
    return rows.map((row) => SUBSCRIPTION.toEntity(row));
  }

  findById(manager: EntityManager, id: string): Promise<WebhookSubscription | null> {
    return manager.getRepository(WebhookSubscription).findOneBy({ id });
  }

  /**
   * Makes `encryptedSecret` the current secret; the one it replaces signs as well until `previousExpiresAt`.
   * @returns false when there is no such subscription.
   */
  async rotate(manager: EntityManager, id: string, encryptedSecret: string, previousExpiresAt: Date): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `UPDATE webhook_subscription
          SET previous_encrypted_secret = encrypted_secret, previous_secret_expires_at = $3, encrypted_secret = $2
        WHERE id = $1
        RETURNING id`,
      [id, encryptedSecret, previousExpiresAt],
    );
    return rows.length === 1;
  }

  /** @returns false when there was no such subscription. */
  async delete(manager: EntityManager, id: string): Promise<boolean> {
    const result = await manager.getRepository(WebhookSubscription).delete({ id });
    return (result.affected ?? 0) > 0;
  }

  /** Rows an older version stored with the secret in plain text. */
  findWithPlainSecret(manager: EntityManager): Promise<WebhookSubscription[]> {
    return manager.getRepository(WebhookSubscription).findBy({ secret: Not(IsNull()) });
  }

  /** Replaces a plain-text secret with its sealed form (unless another replica did so first). */
  async sealPlainSecret(manager: EntityManager, id: string, encryptedSecret: string): Promise<void> {
    await manager.query(`UPDATE webhook_subscription SET encrypted_secret = $2, secret = NULL WHERE id = $1 AND secret IS NOT NULL`, [id, encryptedSecret]);
  }
}
