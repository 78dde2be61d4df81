import { Module } from '@nestjs/common';
import { PlainSecretSealing } from './plain-secret-sealing.js';
import { WebhookSubscriptionCache } from './webhook-subscription-cache.js';
import { WebhookSubscriptionsHandler } from './webhook-subscriptions.handler.js';
import { WebhookSubscriptionsRepository } from './webhook-subscriptions.repository.js';
import { WebhookSubscriptionsService } from './webhook-subscriptions.service.js';

/** The platforms' webhook subscriptions, replicated from the gateway. */
@Module({
  controllers: [WebhookSubscriptionsHandler],
  providers: [WebhookSubscriptionsRepository, WebhookSubscriptionCache, WebhookSubscriptionsService, PlainSecretSealing],
  exports: [WebhookSubscriptionsService],
})
export class SubscriptionsModule {}
