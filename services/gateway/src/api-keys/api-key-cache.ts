import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ListenedCache, type ToForget } from '@skald/persistence';
import { SERVICE_CONFIG } from '@skald/service-kit';
import type { GatewayConfig } from '../config/gateway-config.js';
import type { KeyForAuthentication } from './api-key.repository.js';

/**
 * The channel the triggers of migration `ApiKeyChangeNotifications` notify on, whatever changed the
 * row (the CLI, a gateway, an operator's SQL): `key:<id>` when a key changed or went, `platform:<id>`
 * when a platform's rate limit changed, `*` when api_key was truncated.
 */
export const API_KEY_CHANGES_CHANNEL = 'skald_api_key_changes';

/**
 * Keys kept at most (least recently used go first): about 1 KB of heap each (measured), so at most
 * about 2 MB. Only keys that exist are kept, so this bounds the keys in use, not an attacker's ids;
 * past it, the least recently used keys are read from the database again.
 */
export const API_KEY_CACHE_MAX_ENTRIES = 2_000;

/** A safety net: an entry is read again after this long even if no notification said it changed. */
export const API_KEY_CACHE_MAX_AGE_MS = 60_000;

/**
 * What a notification on API_KEY_CHANGES_CHANNEL says to forget: `key:<id>` that key,
 * `platform:<id>` the platform's keys (its rate limit changed), anything else (`*`) every key.
 */
function toForget(payload: string): ToForget<KeyForAuthentication> {
  if (payload.startsWith('key:')) return { id: payload.slice('key:'.length) };
  if (payload.startsWith('platform:')) {
    const tenantId = payload.slice('platform:'.length);
    return { matching: (key) => key.tenantId === tenantId };
  }
  return 'everything';
}

/**
 * Keys the gateway has looked up, by id, so a request with a known key sends no statement to read
 * it (ADR 7). Only what is stored is kept — the SHA-256 of the secret, never a secret — and the
 * presented secret is still compared with it on every request. Unknown ids are not kept. Changes
 * reach every replica through PostgreSQL NOTIFY (triggers on api_key and platform) on one
 * dedicated LISTEN connection; while that connection is down the cache is empty and keeps nothing,
 * so a notification missed meanwhile cannot leave a revoked key usable (the rules of ListenedCache).
 */
@Injectable()
export class ApiKeyCache extends ListenedCache<KeyForAuthentication> implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(@Inject(SERVICE_CONFIG) config: GatewayConfig) {
    super({
      url: config.DATABASE_URL,
      channel: API_KEY_CHANGES_CHANNEL,
      applicationName: 'gateway-api-key-listener',
      maxEntries: API_KEY_CACHE_MAX_ENTRIES,
      maxAgeMs: API_KEY_CACHE_MAX_AGE_MS,
      label: { cache: 'API key cache', entries: 'keys' },
      log: new Logger(ApiKeyCache.name),
      toForget,
    });
  }

  /** Called twice (the HTTP application's and the connected microservice's bootstrap): starts once. */
  onApplicationBootstrap(): Promise<void> {
    return this.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.stop();
  }
}
