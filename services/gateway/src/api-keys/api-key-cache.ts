import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { NotificationListener } from '@skald/persistence';
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

interface Entry {
  key: KeyForAuthentication;
  cachedAt: number;
}

/**
 * Keys the gateway has looked up, by id, so a request with a known key sends no statement to read
 * it (ADR 7). Only what is stored is kept — the SHA-256 of the secret, never a secret — and the
 * presented secret is still compared with it on every request. Unknown ids are not kept. Changes
 * reach every replica through PostgreSQL NOTIFY (triggers on api_key and platform) on one
 * dedicated LISTEN connection; while that connection is down the cache is empty and keeps nothing,
 * so a notification missed meanwhile cannot leave a revoked key usable.
 */
@Injectable()
export class ApiKeyCache implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ApiKeyCache.name);
  /** In least recently used order: a hit moves its entry to the end. */
  private readonly entries = new Map<string, Entry>();
  private listener?: NotificationListener;
  private listening = false;
  /** Bumped by every notification, loss and (re)connect: a lookup that spans one is not kept. */
  private version = 0;
  private lostOnce = false;

  constructor(@Inject(SERVICE_CONFIG) private readonly config: GatewayConfig) {}

  /** Called twice (the HTTP application's and the connected microservice's bootstrap): starts once. */
  async onApplicationBootstrap(): Promise<void> {
    if (this.listener) return;
    this.listener = new NotificationListener({
      url: this.config.DATABASE_URL,
      channel: API_KEY_CHANGES_CHANNEL,
      applicationName: 'gateway-api-key-listener',
      onNotification: (payload) => this.changed(payload),
      onListening: () => this.resume(),
      onLost: () => this.suspend(),
      onProblem: (message) => this.logger.warn(`API key cache ${message}; keys are read from the database meanwhile`),
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

  /** Whether a key is cached (for tests and diagnostics; does not count as a use). */
  has(id: string): boolean {
    return this.entries.has(id);
  }

  /** Taken before a lookup, handed to `remember` with its result. */
  get currentVersion(): number {
    return this.version;
  }

  get(id: string, now = Date.now()): KeyForAuthentication | undefined {
    if (!this.listening) return undefined;
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    this.entries.delete(id);
    if (now - entry.cachedAt >= API_KEY_CACHE_MAX_AGE_MS) return undefined;
    this.entries.set(id, entry);
    return entry.key;
  }

  /**
   * Keeps a key read from the database, unless something may have changed it since the read began
   * (a notification, or the LISTEN connection lost or regained: `version` moved) or the cache is off.
   */
  remember(key: KeyForAuthentication, versionBeforeRead: number, now = Date.now()): void {
    if (!this.listening || versionBeforeRead !== this.version) return;
    this.entries.delete(key.id);
    this.entries.set(key.id, { key, cachedAt: now });
    if (this.entries.size > API_KEY_CACHE_MAX_ENTRIES) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }

  // The listener's callbacks (public for the cache's unit spec).

  /** A notification on API_KEY_CHANGES_CHANNEL: forgets what it names. */
  changed(payload: string): void {
    this.version++;
    if (payload.startsWith('key:')) {
      this.entries.delete(payload.slice('key:'.length));
    } else if (payload.startsWith('platform:')) {
      const tenantId = payload.slice('platform:'.length);
      for (const [id, entry] of this.entries) if (entry.key.tenantId === tenantId) this.entries.delete(id);
    } else {
      this.entries.clear();
    }
  }

  /** The LISTEN connection is lost: forget everything and keep nothing until it listens again. */
  suspend(): void {
    this.version++;
    this.listening = false;
    this.entries.clear();
    this.lostOnce = true;
    this.logger.warn('API key cache off: its LISTEN connection was lost; keys are read from the database until it is back');
  }

  /** The connection LISTENs (again): keep keys read from now on. */
  resume(): void {
    this.version++;
    this.listening = true;
    if (this.lostOnce) this.logger.log('API key cache on again: its LISTEN connection is back');
  }
}
