import { randomBytes, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { WebhookSubscriptionCreatedV1 } from '@skald/contracts';
import { Outbox } from '@skald/messaging';
import type { EntityManager } from 'typeorm';
import { contractEvents } from './webhook-events.js';
import type { WebhookSubscription } from './webhook-subscription.entity.js';
import { WebhookSubscriptionRepository } from './webhook-subscription.repository.js';

export interface NewSubscription {
  subscription: WebhookSubscription;
  /** The only copy the gateway hands out; notifications receives it with the event. */
  secret: string;
}

/** A Standard Webhooks secret: `whsec_` and the base64 of 32 random bytes. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/** Webhook subscriptions of platforms. */
@Injectable()
export class WebhookSubscriptionService {
  constructor(
    private readonly subscriptions: WebhookSubscriptionRepository,
    private readonly outbox: Outbox,
  ) {}

  /**
   * Stores a subscription and publishes WebhookSubscriptionCreated with its signing secret, in
   * the caller's transaction. The secret is not stored here: only notifications, which signs the
   * deliveries, keeps it.
   */
  async subscribe(manager: EntityManager, tenantId: string, request: { url: string; events: string[] }): Promise<NewSubscription> {
    const secret = newWebhookSecret();
    const subscription = await this.subscriptions.insert(manager, {
      id: randomUUID(),
      tenantId,
      url: request.url,
      events: [...new Set(request.events)],
    });
    await this.outbox.publish(
      manager,
      WebhookSubscriptionCreatedV1,
      { subscriptionId: subscription.id, tenantId, url: subscription.url, events: contractEvents(subscription.events), secret },
      { tenantId },
    );
    return { subscription, secret };
  }
}
