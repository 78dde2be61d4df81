import { randomBytes } from 'node:crypto';
import type { GatewayConfig } from '../config/gateway-config.js';
import { API_KEY_CACHE_MAX_AGE_MS, API_KEY_CACHE_MAX_ENTRIES, ApiKeyCache } from './api-key-cache.js';
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

/** A cache whose LISTEN connection is up (its listener is not started: the int-spec covers it). */
function listeningCache(): ApiKeyCache {
  const cache = new ApiKeyCache({ DATABASE_URL: 'postgres://unused' } as GatewayConfig);
  cache.resume();
  return cache;
}

describe('ApiKeyCache', () => {
  it('keeps nothing until its LISTEN connection is up', () => {
    const cache = new ApiKeyCache({ DATABASE_URL: 'postgres://unused' } as GatewayConfig);
    cache.remember(aKey('a'), cache.currentVersion);
    expect(cache.has('a')).toBe(false);
  });

  it('keeps at most API_KEY_CACHE_MAX_ENTRIES keys, dropping the least recently used', () => {
    const cache = listeningCache();
    for (let i = 0; i < API_KEY_CACHE_MAX_ENTRIES; i++) cache.remember(aKey(`k${i}`), cache.currentVersion);
    expect(cache.get('k0')).toBeDefined(); // used: k1 is now the least recently used

    cache.remember(aKey('new'), cache.currentVersion);

    expect([cache.has('new'), cache.has('k0'), cache.has('k1'), cache.has('k2')]).toEqual([true, true, false, true]);
  });

  it('reads a key again after API_KEY_CACHE_MAX_AGE_MS, notification or not', () => {
    const cache = listeningCache();
    cache.remember(aKey('a'), cache.currentVersion, 1_000);
    expect(cache.get('a', 1_000 + API_KEY_CACHE_MAX_AGE_MS - 1)).toBeDefined();
    expect(cache.get('a', 1_000 + API_KEY_CACHE_MAX_AGE_MS)).toBeUndefined();
    expect(cache.has('a')).toBe(false);
  });

  it('does not keep a read that a notification, a loss or a reconnect overtook (it may predate the change)', () => {
    const cache = listeningCache();
    for (const overtake of [() => cache.changed('key:other'), () => cache.suspend(), () => cache.resume()]) {
      const before = cache.currentVersion;
      overtake();
      cache.resume();
      cache.remember(aKey('a'), before);
      expect(cache.has('a')).toBe(false);
    }
  });

  it('forgets the key a notification names, the keys of a platform whose limit changed, everything on `*` or a lost connection', () => {
    const cache = listeningCache();
    const remember = (...keys: KeyForAuthentication[]) => keys.forEach((key) => cache.remember(key, cache.currentVersion));
    remember(aKey('a', 't1'), aKey('b', 't1'), aKey('c', 't2'), aKey('d'));

    cache.changed('key:d');
    expect(['a', 'b', 'c', 'd'].map((id) => cache.has(id))).toEqual([true, true, true, false]);
    cache.changed('platform:t1');
    expect(['a', 'b', 'c'].map((id) => cache.has(id))).toEqual([false, false, true]);
    cache.changed('*');
    expect(cache.has('c')).toBe(false);

    remember(aKey('e'));
    cache.suspend();
    expect(cache.has('e')).toBe(false);
    remember(aKey('f'));
    expect(cache.has('f')).toBe(false);
  });
});
