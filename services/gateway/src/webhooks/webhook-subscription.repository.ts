import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { WebhookSubscription } from './webhook-subscription.entity.js';

@Injectable()
export class WebhookSubscriptionRepository {
  async insert(manager: EntityManager, subscription: Omit<WebhookSubscription, 'createdAt'>): Promise<WebhookSubscription> {
    return manager.save(WebhookSubscription, manager.create(WebhookSubscription, subscription));
  }

  /**
   * Serialises the transactions that count and add a tenant's subscriptions, until the caller's
   * transaction ends (two concurrent subscribes cannot both take the last place).
   */
  async lockTenant(manager: EntityManager, tenantId: string): Promise<void> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended('webhook_subscription:' || $1, 0))`, [tenantId]);
  }

  countOfTenant(manager: EntityManager, tenantId: string): Promise<number> {
    return manager.getRepository(WebhookSubscription).countBy({ tenantId });
  }

  /** The tenant's subscriptions, oldest first. */
  listOfTenant(manager: EntityManager, tenantId: string): Promise<WebhookSubscription[]> {
    return manager.getRepository(WebhookSubscription).find({ where: { tenantId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  findOfTenant(manager: EntityManager, tenantId: string, id: string): Promise<WebhookSubscription | null> {
    return manager.getRepository(WebhookSubscription).findOneBy({ tenantId, id });
  }

  /** @returns whether the tenant had this subscription. */
  async deleteOfTenant(manager: EntityManager, tenantId: string, id: string): Promise<boolean> {
    const result = await manager.getRepository(WebhookSubscription).delete({ tenantId, id });
    return (result.affected ?? 0) > 0;
  }
}
