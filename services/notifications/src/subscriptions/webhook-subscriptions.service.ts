import { Injectable, Logger } from '@nestjs/common';
import { SkaldError, type OrderStatus, type WebhookSubscriptionCreated } from '@skald/contracts';
import { Webhook } from 'standardwebhooks';
import type { EntityManager } from 'typeorm';
import type { WebhookSubscription } from './webhook-subscription.entity.js';
import { WebhookSubscriptionsRepository } from './webhook-subscriptions.repository.js';

/** Subscribes to every event. */
export const ALL_EVENTS = '*';

/** The webhook event type of an order status: `shipped` → `order.shipped`. */
export function orderEventType(status: OrderStatus): string {
  return `order.${status}`;
}

@Injectable()
export class WebhookSubscriptionsService {
  private readonly logger = new Logger(WebhookSubscriptionsService.name);

  constructor(private readonly subscriptions: WebhookSubscriptionsRepository) {}

  /**
   * Stores a subscription the gateway created. Idempotent: a subscription id already stored is kept.
   * @throws SkaldError(INVALID_WEBHOOK_SECRET, not retryable) when the secret cannot sign (not `whsec_` + base64).
   */
  async record(manager: EntityManager, created: WebhookSubscriptionCreated): Promise<void> {
    try {
      new Webhook(created.secret);
    } catch (error) {
      throw new SkaldError('INVALID_WEBHOOK_SECRET', `subscription ${created.subscriptionId}: the secret is not a Standard Webhooks key`, {
        retryable: false,
        cause: error,
      });
    }
    const inserted = await this.subscriptions.insertIfAbsent(manager, {
      id: created.subscriptionId,
      tenantId: created.tenantId,
      url: created.url,
      events: created.events,
      secret: created.secret,
    });
    if (inserted) this.logger.log(`webhook subscription ${created.subscriptionId} of ${created.tenantId} stored (${created.events.join(', ')})`);
    else this.logger.log(`webhook subscription ${created.subscriptionId} already stored`);
  }

  /**
   * The tenant's subscriptions that want an order status. A subscription names `order.<status>` or `*`;
   * the bare status (`shipped`) is accepted as well, as the contract's documentation of `events` shows it.
   */
  listeningTo(manager: EntityManager, tenantId: string, status: OrderStatus): Promise<WebhookSubscription[]> {
    return this.subscriptions.findListening(manager, tenantId, [ALL_EVENTS, orderEventType(status), status]);
  }

  find(manager: EntityManager, id: string): Promise<WebhookSubscription | null> {
    return this.subscriptions.findById(manager, id);
  }
}
