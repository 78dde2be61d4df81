import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { WebhookSubscription } from './webhook-subscription.entity.js';

@Injectable()
export class WebhookSubscriptionsRepository {
  /** @returns false when a subscription with this id is already stored (it is left as it is). */
  async insertIfAbsent(
    manager: EntityManager,
    subscription: Pick<WebhookSubscription, 'id' | 'tenantId' | 'url' | 'events' | 'secret'>,
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

  /** Subscriptions of a tenant listening to any of `events`, oldest first. */
  findListening(manager: EntityManager, tenantId: string, events: string[]): Promise<WebhookSubscription[]> {
    return manager
      .getRepository(WebhookSubscription)
      .createQueryBuilder('subscription')
      .where('subscription.tenant_id = :tenantId', { tenantId })
      .andWhere('subscription.events && :events', { events })
      .orderBy('subscription.created_at', 'ASC')
      .addOrderBy('subscription.id', 'ASC')
      .getMany();
  }

  findById(manager: EntityManager, id: string): Promise<WebhookSubscription | null> {
    return manager.getRepository(WebhookSubscription).findOneBy({ id });
  }
}
