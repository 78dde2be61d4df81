import { randomBytes } from 'node:crypto';
import type { GatewayConfig } from '../config/gateway-config.js';
import { ApiKeyCache } from './api-key-cache.js';
import type { KeyForAuthentication } from './api-key.repository.js';

const aKey = (id: string, tenantId: string | null = null): KeyForAuthentication => ({
  id,
  kind: tenantId ? 'platform' : 'staff',
  tenantId,
  roles: tenantId ? [] : ['ops'],
  secretHash: randomBytes(32),
  revoked: false,
  rateLimitPerSecond: null,
  lastUsedAt: null,
});

/**
 * A cache whose LISTEN connection is up (its listener is not started: the int-spec covers it). The
 * rules it shares with every ListenedCache (LRU, max age, overtaken reads, loss) are that class's spec.
 */
function listeningCache(): ApiKeyCache {
  const cache = new ApiKeyCache({ DATABASE_URL: 'postgres://unused' } as GatewayConfig);
  cache.resume();
  return cache;
}

describe('ApiKeyCache', () => {
  it('forgets the key a notification names, the keys of a platform whose limit changed, everything on `*`', () => {
    const cache = listeningCache();
    for (const key of [aKey('a', 't1'), aKey('b', 't1'), aKey('c', 't2'), aKey('d')]) cache.remember(key.id, key, cache.currentVersion);

    cache.changed('key:d');
    expect(['a', 'b', 'c', 'd'].map((id) => cache.has(id))).toEqual([true, true, true, false]);
    cache.changed('platform:t1');
    expect(['a', 'b', 'c'].map((id) => cache.has(id))).toEqual([false, false, true]);
    cache.changed('*');
    expect(cache.has('c')).toBe(false);
  });
});
