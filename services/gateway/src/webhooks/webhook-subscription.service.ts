import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { SkaldError, WebhookSubscriptionCreatedV2, WebhookSubscriptionDeletedV1, WebhookSubscriptionSecretRotatedV1 } from '@skald/contracts';
import { Outbox } from '@skald/messaging';
import { SERVICE_CONFIG } from '@skald/service-kit';
import type { EntityManager } from 'typeorm';
import type { GatewayConfig } from '../config/gateway-config.js';
import { contractEvents } from './webhook-events.js';
import { WebhookSecrets } from './webhook-secrets.js';
import type { WebhookSubscription } from './webhook-subscription.entity.js';
import { WebhookSubscriptionRepository } from './webhook-subscription.repository.js';
import { WebhookTargetPolicy } from './webhook-target-policy.js';

/** How long deliveries are signed with the replaced secret as well after a rotation. */
export const PREVIOUS_SECRET_VALIDITY_MS = 24 * 60 * 60 * 1000;

export interface NewSubscription {
  subscription: WebhookSubscription;
  /** The only copy the gateway hands out; notifications receives it sealed with the event. */
  secret: string;
}

export interface RotatedSecret {
  subscription: WebhookSubscription;
  secret: string;
  previousSecretExpiresAt: Date;
}

/** Webhook subscriptions of platforms. */
@Injectable()
export class WebhookSubscriptionService {
  constructor(
    private readonly subscriptions: WebhookSubscriptionRepository,
    private readonly secrets: WebhookSecrets,
    private readonly targets: WebhookTargetPolicy,
    private readonly outbox: Outbox,
    @Inject(SERVICE_CONFIG) private readonly config: GatewayConfig,
  ) {}

  /**
   * Checks that the URL may receive webhooks. Called before the transaction: it may wait for DNS.
   * @throws SkaldError(WEBHOOK_URL_FORBIDDEN)
   */
  async checkTarget(url: string): Promise<void> {
    await this.targets.check(url);
  }

  /**
   * Stores a subscription and publishes it with its sealed secret, in the caller's transaction
   * (after checkTarget). The secret is not stored here: only notifications, which signs, keeps it.
   * @throws SkaldError(WEBHOOK_LIMIT_REACHED) when the tenant holds the maximum already.
   */
  async subscribe(manager: EntityManager, tenantId: string, request: { url: string; events: string[] }): Promise<NewSubscription> {
    await this.subscriptions.lockTenant(manager, tenantId);
    const limit = this.config.WEBHOOK_MAX_SUBSCRIPTIONS_PER_PLATFORM;
    if ((await this.subscriptions.countOfTenant(manager, tenantId)) >= limit) {
      throw new SkaldError('WEBHOOK_LIMIT_REACHED', `A platform may hold at most ${limit} webhook subscriptions; delete one first.`, {
        retryable: false,
        details: { limit },
      });
    }
    const id = randomUUID();
    const { secret, encryptedSecret } = this.secrets.create(id);
    const subscription = await this.subscriptions.insert(manager, { id, tenantId, url: request.url, events: [...new Set(request.events)] });
    await this.outbox.publish(
      manager,
      WebhookSubscriptionCreatedV2,
      { subscriptionId: id, tenantId, url: subscription.url, events: contractEvents(subscription.events), encryptedSecret },
      { tenantId },
    );
    return { subscription, secret };
  }

  list(manager: EntityManager, tenantId: string): Promise<WebhookSubscription[]> {
    return this.subscriptions.listOfTenant(manager, tenantId);
  }

  /**
   * Ends a subscription: deleted here, and notifications is told to stop delivering to it.
   * @throws SkaldError(WEBHOOK_SUBSCRIPTION_NOT_FOUND) when the tenant has no such subscription.
   */
  async unsubscribe(manager: EntityManager, tenantId: string, id: string): Promise<void> {
    if (!(await this.subscriptions.deleteOfTenant(manager, tenantId, id))) throw notFound(id);
    await this.outbox.publish(manager, WebhookSubscriptionDeletedV1, { subscriptionId: id, tenantId }, { tenantId });
  }

  /**
   * Gives a subscription a new signing secret. Deliveries carry a signature with each of the two
   * secrets until `previousSecretExpiresAt`, so the platform can switch its receiver over.
   * @throws SkaldError(WEBHOOK_SUBSCRIPTION_NOT_FOUND) when the tenant has no such subscription.
   */
  async rotateSecret(manager: EntityManager, tenantId: string, id: string, now = new Date()): Promise<RotatedSecret> {
    const subscription = await this.subscriptions.findOfTenant(manager, tenantId, id);
    if (!subscription) throw notFound(id);
    const { secret, encryptedSecret } = this.secrets.create(id);
    const previousSecretExpiresAt = new Date(now.getTime() + PREVIOUS_SECRET_VALIDITY_MS);
    await this.outbox.publish(
      manager,
      WebhookSubscriptionSecretRotatedV1,
      { subscriptionId: id, tenantId, encryptedSecret, previousSecretExpiresAt: previousSecretExpiresAt.toISOString() },
      { tenantId },
    );
    return { subscription, secret, previousSecretExpiresAt };
  }
}

function notFound(id: string): SkaldError {
  return new SkaldError('WEBHOOK_SUBSCRIPTION_NOT_FOUND', `Your platform has no webhook subscription ${id}.`, { retryable: false });
}
