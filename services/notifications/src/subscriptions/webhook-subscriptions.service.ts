import { Injectable, Logger } from '@nestjs/common';
import { SkaldError, type OrderStatus, type WebhookSubscriptionCreated } from '@skald/contracts';
import { Webhook } from 'standardwebhooks';
import type { EntityManager } from 'typeorm';
import type { WebhookSubscription } from './webhook-subscription.entity.js';
import { WebhookSubscriptionsRepository } from './webhook-subscriptions.repository.js';

/** Subscribes to every event. */
export const ALL_EVENTS = '*';

/**
 * Order events that are not a status of the order: the refund instruction of a paid order that
 * was cancelled, whole or in part. The gateway validates subscriptions against the same list
 * (`ORDER_NOTICES` in services/gateway/src/webhooks/webhook-events.ts): keep both in step.
 */
export const ORDER_NOTICES = ['refund_requested'] as const;
export type OrderNotice = (typeof ORDER_NOTICES)[number];

/** What a platform can be told about an order: each status, and the notices. */
export type OrderEvent = OrderStatus | OrderNotice;

/** The webhook event type of an order status or notice: `shipped` → `order.shipped`. */
export function orderEventType(event: OrderEvent): string {
  return `order.${event}`;
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
   * The tenant's subscriptions that want an order event (a status, or a notice such as
   * `refund_requested`). A subscription names `order.<event>` or `*`; the bare event (`shipped`) is
   * accepted as well, as the contract's documentation of `events` shows it.
   */
  listeningTo(manager: EntityManager, tenantId: string, event: OrderEvent): Promise<WebhookSubscription[]> {
    return this.subscriptions.findListening(manager, tenantId, [ALL_EVENTS, orderEventType(event), event]);
  }

  find(manager: EntityManager, id: string): Promise<WebhookSubscription | null> {
    return this.subscriptions.findById(manager, id);
  }
}
