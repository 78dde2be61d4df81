import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  SkaldError,
  type OrderStatus,
  type ReturnStatus,
  type WebhookSubscriptionCreated,
  type WebhookSubscriptionCreatedSealed,
  type WebhookSubscriptionDeleted,
  type WebhookSubscriptionSecretRotated,
} from '@skald/contracts';
import { openSecret, parseSecretKey, sealSecret, SERVICE_CONFIG } from '@skald/service-kit';
import { Webhook } from 'standardwebhooks';
import type { EntityManager } from 'typeorm';
import type { NotificationsConfig } from '../config/notifications-config.js';
import { WebhookSubscriptionCache } from './webhook-subscription-cache.js';
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

/**
 * Return events that are not a status of the return: the refund instruction of an inspected
 * return (`returns.refund.requested.v1`). The gateway lists the same (`RETURN_NOTICES` in
 * services/gateway/src/webhooks/webhook-events.ts).
 */
export const RETURN_NOTICES = ['refund_requested'] as const;
export type ReturnNotice = (typeof RETURN_NOTICES)[number];

/** What a platform can be told about a return (RMA): each status, and the notices. */
export type ReturnEvent = ReturnStatus | ReturnNotice;

/** The webhook event type of a return status or notice: `approved` → `return.approved`. */
export function returnEventType(event: ReturnEvent): string {
  return `return.${event}`;
}

/**
 * The platforms' webhook subscriptions as the gateway announces them. Signing secrets are kept
 * sealed with WEBHOOK_SECRET_KEY (the subscription id as associated data) and opened only to sign.
 */
@Injectable()
export class WebhookSubscriptionsService {
  private readonly logger = new Logger(WebhookSubscriptionsService.name);
  private readonly key: Buffer;

  constructor(
    private readonly subscriptions: WebhookSubscriptionsRepository,
    private readonly cache: WebhookSubscriptionCache,
    @Inject(SERVICE_CONFIG) config: NotificationsConfig,
  ) {
    this.key = parseSecretKey(config.WEBHOOK_SECRET_KEY);
  }

  /**
   * Stores a subscription the gateway created, its secret sealed as it arrived. Idempotent: a
   * subscription id already stored is kept.
   * @throws SkaldError(INVALID_WEBHOOK_SECRET, not retryable) when the secret does not open with
   *         this service's key or cannot sign.
   */
  async record(manager: EntityManager, created: WebhookSubscriptionCreatedSealed): Promise<void> {
    this.openSigningSecret(created.subscriptionId, created.encryptedSecret);
    await this.insert(manager, created, created.encryptedSecret);
  }

  /**
   * Stores a subscription announced by a gateway that still sends the secret in plain text
   * (WebhookSubscriptionCreated v1), sealing it first.
   * @throws SkaldError(INVALID_WEBHOOK_SECRET, not retryable) when the secret cannot sign.
   */
  async recordPlain(manager: EntityManager, created: WebhookSubscriptionCreated): Promise<void> {
    assertSigningSecret(created.subscriptionId, created.secret);
    await this.insert(manager, created, sealSecret(this.key, created.secret, created.subscriptionId));
  }

  /**
   * Puts the rotated secret in place; the one it replaces keeps signing until the rotation's
   * `previousSecretExpiresAt`. A subscription unknown here (deleted meanwhile) is left alone.
   * @throws SkaldError(INVALID_WEBHOOK_SECRET, not retryable) as record does.
   */
  async rotate(manager: EntityManager, rotated: WebhookSubscriptionSecretRotated): Promise<void> {
    this.openSigningSecret(rotated.subscriptionId, rotated.encryptedSecret);
    const done = await this.subscriptions.rotate(manager, rotated.subscriptionId, rotated.encryptedSecret, new Date(rotated.previousSecretExpiresAt));
    if (done) this.logger.log(`webhook subscription ${rotated.subscriptionId}: secret rotated, the previous one signs until ${rotated.previousSecretExpiresAt}`);
    else this.logger.warn(`webhook subscription ${rotated.subscriptionId} is not stored: its secret rotation is ignored`);
  }

  /** Forgets a subscription and its secrets: its deliveries still due fail, as for any unknown subscription. */
  async remove(manager: EntityManager, deleted: WebhookSubscriptionDeleted): Promise<void> {
    const done = await this.subscriptions.delete(manager, deleted.subscriptionId);
    this.logger.log(`webhook subscription ${deleted.subscriptionId} of ${deleted.tenantId} ${done ? 'deleted' : 'was not stored'}`);
  }

  /**
   * The secrets a delivery of this subscription is signed with at `now`: the current one, and the
   * one a rotation replaced while it has not expired.
   * @throws Error when a sealed secret does not open with this service's key (WEBHOOK_SECRET_KEY changed).
   */
  signingSecrets(subscription: WebhookSubscription, now = new Date()): string[] {
    const current = subscription.encryptedSecret ? openSecret(this.key, subscription.encryptedSecret, subscription.id) : subscription.secret;
    if (!current) throw new Error(`webhook subscription ${subscription.id} has no secret`);
    const { previousEncryptedSecret, previousSecretExpiresAt } = subscription;
    if (!previousEncryptedSecret || !previousSecretExpiresAt || previousSecretExpiresAt.getTime() <= now.getTime()) return [current];
    return [current, openSecret(this.key, previousEncryptedSecret, subscription.id)];
  }

  /** Seals the secrets an older version stored in plain text. Safe on several replicas at once. */
  async sealPlainSecrets(manager: EntityManager): Promise<number> {
    const rows = await this.subscriptions.findWithPlainSecret(manager);
    for (const { id, secret } of rows) {
      if (secret) await this.subscriptions.sealPlainSecret(manager, id, sealSecret(this.key, secret, id));
    }
    return rows.length;
  }

  /**
   * The tenant's subscriptions that want an order event (a status, or a notice such as
   * `refund_requested`). A subscription names `order.<event>` or `*`; the bare event (`shipped`) is
   * accepted as well, as the contract's documentation of `events` shows it.
   */
  listeningTo(manager: EntityManager, tenantId: string, event: OrderEvent): Promise<WebhookSubscription[]> {
    return this.listening(manager, tenantId, [ALL_EVENTS, orderEventType(event), event]);
  }

  /**
   * The tenant's subscriptions that want a return event (a status, or the notice
   * `refund_requested`): those naming `return.<event>` or `*`. Unlike order events there is no
   * bare form: a bare `approved` or `refund_requested` is an order event.
   */
  listeningToReturn(manager: EntityManager, tenantId: string, event: ReturnEvent): Promise<WebhookSubscription[]> {
    return this.listening(manager, tenantId, [ALL_EVENTS, returnEventType(event)]);
  }

  find(manager: EntityManager, id: string): Promise<WebhookSubscription | null> {
    return this.subscriptions.findById(manager, id);
  }

  /**
   * The tenant's subscriptions naming any of `events`, oldest first: from the cache, or read (in the
   * caller's transaction) and cached when no change was notified during the read.
   */
  private async listening(manager: EntityManager, tenantId: string, events: string[]): Promise<WebhookSubscription[]> {
    let all = this.cache.get(tenantId);
    if (!all) {
      const version = this.cache.currentVersion;
      all = await this.subscriptions.findByTenant(manager, tenantId);
      this.cache.remember(tenantId, all, version);
    }
    return all.filter((subscription) => subscription.events.some((named) => events.includes(named)));
  }

  private async insert(
    manager: EntityManager,
    created: Pick<WebhookSubscriptionCreated, 'subscriptionId' | 'tenantId' | 'url' | 'events'>,
    encryptedSecret: string,
  ): Promise<void> {
    const inserted = await this.subscriptions.insertIfAbsent(manager, {
      id: created.subscriptionId,
      tenantId: created.tenantId,
      url: created.url,
      events: created.events,
      encryptedSecret,
    });
    if (inserted) this.logger.log(`webhook subscription ${created.subscriptionId} of ${created.tenantId} stored (${created.events.join(', ')})`);
    else this.logger.log(`webhook subscription ${created.subscriptionId} already stored`);
  }

  private openSigningSecret(subscriptionId: string, encryptedSecret: string): void {
    let secret: string;
    try {
      secret = openSecret(this.key, encryptedSecret, subscriptionId);
    } catch (error) {
      throw new SkaldError('INVALID_WEBHOOK_SECRET', `subscription ${subscriptionId}: the sealed secret does not open with WEBHOOK_SECRET_KEY`, {
        retryable: false,
        cause: error,
      });
    }
    assertSigningSecret(subscriptionId, secret);
  }
}

function assertSigningSecret(subscriptionId: string, secret: string): void {
  try {
    new Webhook(secret);
  } catch (error) {
    throw new SkaldError('INVALID_WEBHOOK_SECRET', `subscription ${subscriptionId}: the secret is not a Standard Webhooks key`, {
      retryable: false,
      cause: error,
    });
  }
}
