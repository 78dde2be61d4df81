import type { NotificationsConfig } from '../config/notifications-config.js';
import { WebhookSubscriptionCache } from './webhook-subscription-cache.js';
import type { WebhookSubscription } from './webhook-subscription.entity.js';

const aSubscription = (tenantId: string, secret: string | null = null): WebhookSubscription => ({
  id: `sub-${tenantId}`,
  tenantId,
  url: 'https://example.test/hook',
  events: ['*'],
  encryptedSecret: secret === null ? 'sealed' : null,
  secret,
  previousEncryptedSecret: null,
  previousSecretExpiresAt: null,
  createdAt: new Date(),
});

/**
 * A cache whose LISTEN connection is up (its listener is not started: the int-spec covers it). The
 * rules it shares with every ListenedCache (LRU, max age, overtaken reads, loss) are that class's spec.
 */
function listeningCache(): WebhookSubscriptionCache {
  const cache = new WebhookSubscriptionCache({ DATABASE_URL: 'postgres://unused' } as NotificationsConfig);
  cache.resume();
  return cache;
}

describe('WebhookSubscriptionCache', () => {
  it('forgets the tenant a notification names, every tenant on `*`', () => {
    const cache = listeningCache();
    for (const tenantId of ['t1', 't2', 't3']) cache.remember(tenantId, [aSubscription(tenantId)], cache.currentVersion);

    cache.changed('tenant:t1');
    expect(['t1', 't2', 't3'].map((tenantId) => cache.has(tenantId))).toEqual([false, true, true]);
    cache.changed('*');
    expect(['t2', 't3'].map((tenantId) => cache.has(tenantId))).toEqual([false, false]);
  });

  it('keeps a tenant without subscriptions, not one whose row still holds a plain-text secret', () => {
    const cache = listeningCache();
    cache.remember('none', [], cache.currentVersion);
    cache.remember('plain', [aSubscription('plain'), aSubscription('plain', 'whsec_plain')], cache.currentVersion);

    expect([cache.get('none'), cache.has('plain')]).toEqual([[], false]);
  });
});
