import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ListenedCache, type ToForget } from '@skald/persistence';
import { SERVICE_CONFIG } from '@skald/service-kit';
import type { NotificationsConfig } from '../config/notifications-config.js';
import type { WebhookSubscription } from './webhook-subscription.entity.js';

/**
 * The channel the triggers of migration `WebhookSubscriptionChangeNotifications` notify on, whatever
 * changed the rows: `tenant:<id>` when a subscription of the tenant was stored, changed or deleted,
 * `*` when webhook_subscription was truncated.
 */
export const WEBHOOK_SUBSCRIPTION_CHANGES_CHANNEL = 'skald_webhook_subscription_changes';

/**
 * Tenants kept at most (least recently used go first). A tenant has at most 20 subscriptions
 * (WEBHOOK_MAX_SUBSCRIPTIONS_PER_PLATFORM), most have none (an empty list is kept as well: that is
 * the common answer), so this is well under a few MB.
 */
export const WEBHOOK_SUBSCRIPTION_CACHE_MAX_TENANTS = 1_000;

/** A safety net: a tenant's subscriptions are read again after this long even if no notification said they changed. */
export const WEBHOOK_SUBSCRIPTION_CACHE_MAX_AGE_MS = 60_000;

/**
 * What a notification on WEBHOOK_SUBSCRIPTION_CHANGES_CHANNEL says to forget: `tenant:<id>` that
 * tenant's subscriptions, anything else (`*`) every tenant's.
 */
function toForget(payload: string): ToForget<readonly WebhookSubscription[]> {
  return payload.startsWith('tenant:') ? { id: payload.slice('tenant:'.length) } : 'everything';
}

/**
 * Each tenant's webhook subscriptions as read from the database (oldest first), so the status
 * events of an order (about seven each) do not read them every time. What is kept is the row as
 * stored: secrets stay sealed (a row with a secret still in plain text, from an older version not
 * yet sealed, is not kept). Changes reach every replica through PostgreSQL NOTIFY (triggers on
 * webhook_subscription) on the service's LISTEN connection (`notifications-listener`, shared with the
 * outbox relay and the delivery dispatcher), the way the gateway's API-key cache
 * learns of revocations (ADR 7; both are a ListenedCache): while that connection is down the cache
 * is empty and keeps nothing, so a change missed meanwhile is never served.
 */
@Injectable()
export class WebhookSubscriptionCache extends ListenedCache<readonly WebhookSubscription[]> implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(@Inject(SERVICE_CONFIG) config: NotificationsConfig) {
    super({
      url: config.DATABASE_URL,
      channel: WEBHOOK_SUBSCRIPTION_CHANGES_CHANNEL,
      // The service's LISTEN connection, shared with the outbox relay and the delivery dispatcher (NotificationListener).
      applicationName: 'notifications-listener',
      maxEntries: WEBHOOK_SUBSCRIPTION_CACHE_MAX_TENANTS,
      maxAgeMs: WEBHOOK_SUBSCRIPTION_CACHE_MAX_AGE_MS,
      label: { cache: 'webhook subscription cache', entries: 'subscriptions' },
      log: new Logger(WebhookSubscriptionCache.name),
      toForget,
    });
  }

  /** Called for the HTTP application and for the connected microservice: starts once. */
  onApplicationBootstrap(): Promise<void> {
    return this.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.stop();
  }

  /**
   * Keeps a tenant's subscriptions read from the database (a frozen copy), unless a row still holds
   * a plain-text secret, or as ListenedCache says (the cache is off, or the read was overtaken).
   */
  override remember(tenantId: string, subscriptions: readonly WebhookSubscription[], versionBeforeRead: number, now = Date.now()): void {
    if (subscriptions.some((subscription) => subscription.secret !== null)) return;
    super.remember(tenantId, Object.freeze([...subscriptions]), versionBeforeRead, now);
  }
}
