import { Module } from '@nestjs/common';
import { ApiKeysModule } from '../api-keys/api-keys.module.js';
import { IdempotencyModule } from '../idempotency/idempotency.module.js';
import { WebhookSecrets } from './webhook-secrets.js';
import { WebhookSubscriptionRepository } from './webhook-subscription.repository.js';
import { WebhookSubscriptionService } from './webhook-subscription.service.js';
import { systemWebhookResolver, WebhookTargetPolicy } from './webhook-target-policy.js';
import { WebhooksController } from './webhooks.controller.js';

/** Webhook subscriptions (the gateway's own; announced to notifications through the outbox). */
@Module({
  imports: [ApiKeysModule, IdempotencyModule],
  controllers: [WebhooksController],
  providers: [WebhookSubscriptionRepository, WebhookSubscriptionService, WebhookSecrets, WebhookTargetPolicy, systemWebhookResolver],
})
export class WebhooksModule {}
