import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { WebhookSubscription } from './webhook-subscription.entity.js';

@Injectable()
export class WebhookSubscriptionRepository {
  async insert(manager: EntityManager, subscription: Omit<WebhookSubscription, 'createdAt'>): Promise<WebhookSubscription> {
    return manager.save(WebhookSubscription, manager.create(WebhookSubscription, subscription));
  }
}
