import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { NotificationListener } from '@skald/persistence';
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

interface Entry {
  subscriptions: readonly WebhookSubscription[];
  cachedAt: number;
}

/**
 * Each tenant's webhook subscriptions as read from the database (oldest first), so the status
 * events of an order (about seven each) do not read them every time. What is kept is the row as
 * stored: secrets stay sealed (a row with a secret still in plain text, from an older version not
 * yet sealed, is not kept). Changes reach every replica through PostgreSQL NOTIFY (triggers on
 * webhook_subscription) on one dedicated LISTEN connection, the way the gateway's API-key cache
 * learns of revocations (ADR 7): while that connection is down the cache is empty and keeps
 * nothing, so a change missed meanwhile is never served.
 */
@Injectable()
export class WebhookSubscriptionCache implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WebhookSubscriptionCache.name);
  /** In least recently used order: a hit moves its entry to the end. */
  private readonly entries = new Map<string, Entry>();
  private listener?: NotificationListener;
  private listening = false;
  /** Bumped by every notification, loss and (re)connect: a read that spans one is not kept. */
  private version = 0;
  private lostOnce = false;

  constructor(@Inject(SERVICE_CONFIG) private readonly config: NotificationsConfig) {}

  /** Called for the HTTP application and for the connected microservice: starts once. */
  async onApplicationBootstrap(): Promise<void> {
    if (this.listener) return;
    this.listener = new NotificationListener({
      url: this.config.DATABASE_URL,
      channel: WEBHOOK_SUBSCRIPTION_CHANGES_CHANNEL,
      applicationName: 'notifications-subscription-listener',
      onNotification: (payload) => this.changed(payload),
      onListening: () => this.resume(),
      onLost: () => this.suspend(),
      onProblem: (message) => this.logger.warn(`webhook subscription cache ${message}; subscriptions are read from the database meanwhile`),
    });
    await this.listener.start();
  }

  async onApplicationShutdown(): Promise<void> {
    const listener = this.listener;
    this.listener = undefined;
    this.listening = false;
    this.entries.clear();
    await listener?.stop();
  }

  /** Whether the cache is in use: its LISTEN connection is up. */
  get active(): boolean {
    return this.listening;
  }

  /** Whether a tenant's subscriptions are cached (for tests and diagnostics; does not count as a use). */
  has(tenantId: string): boolean {
    return this.entries.has(tenantId);
  }

  /** Taken before a read, handed to `remember` with its result. */
  get currentVersion(): number {
    return this.version;
  }

  get(tenantId: string, now = Date.now()): readonly WebhookSubscription[] | undefined {
    if (!this.listening) return undefined;
    const entry = this.entries.get(tenantId);
    if (!entry) return undefined;
    this.entries.delete(tenantId);
    if (now - entry.cachedAt >= WEBHOOK_SUBSCRIPTION_CACHE_MAX_AGE_MS) return undefined;
    this.entries.set(tenantId, entry);
    return entry.subscriptions;
  }

  /**
   * Keeps a tenant's subscriptions read from the database, unless something may have changed them
   * since the read began (a notification, or the LISTEN connection lost or regained: `version`
   * moved), the cache is off, or a row still holds a plain-text secret.
   */
  remember(tenantId: string, subscriptions: readonly WebhookSubscription[], versionBeforeRead: number, now = Date.now()): void {
    if (!this.listening || versionBeforeRead !== this.version) return;
    if (subscriptions.some((subscription) => subscription.secret !== null)) return;
    this.entries.delete(tenantId);
    this.entries.set(tenantId, { subscriptions: Object.freeze([...subscriptions]), cachedAt: now });
    if (this.entries.size > WEBHOOK_SUBSCRIPTION_CACHE_MAX_TENANTS) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }

  // The listener's callbacks (public for tests).

  /** A notification on WEBHOOK_SUBSCRIPTION_CHANGES_CHANNEL: forgets the tenant it names (all on `*`). */
  changed(payload: string): void {
    this.version++;
    if (payload.startsWith('tenant:')) this.entries.delete(payload.slice('tenant:'.length));
    else this.entries.clear();
  }

  /** The LISTEN connection is lost: forget everything and keep nothing until it listens again. */
  suspend(): void {
    this.version++;
    this.listening = false;
    this.entries.clear();
    this.lostOnce = true;
    this.logger.warn('webhook subscription cache off: its LISTEN connection was lost; subscriptions are read from the database until it is back');
  }

  /** The connection LISTENs (again): keep what is read from now on. */
  resume(): void {
    this.version++;
    this.listening = true;
    if (this.lostOnce) this.logger.log('webhook subscription cache on again: its LISTEN connection is back');
  }
}
