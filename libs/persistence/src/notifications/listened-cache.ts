import { NotificationListener } from './notification-listener.js';

/** What a notification's payload says to forget: the entry of one id, the entries whose value matches, or everything. */
export type ToForget<V> = { id: string } | { matching: (value: V) => boolean } | 'everything';

/** Where the cache's log lines go (a Nest `Logger` of its owner will do). */
export interface ListenedCacheLog {
  warn(message: string): void;
  log(message: string): void;
}

export interface ListenedCacheOptions<V> {
  /** The database whose triggers NOTIFY on `channel`. */
  url: string;
  channel: string;
  /** Of the LISTEN connection (how an operator finds it in pg_stat_activity). */
  applicationName: string;
  /** Entries kept at most: past it, the least recently used goes. */
  maxEntries: number;
  /** A safety net: an entry is read again after this long even if no notification said it changed. */
  maxAgeMs: number;
  /** For log lines: the cache's name (`API key cache`) and what is read instead while it is off (`keys`). */
  label: { cache: string; entries: string };
  log: ListenedCacheLog;
  /** What a notification (its payload) says to forget; `everything` for a payload not understood. */
  toForget: (payload: string) => ToForget<V>;
}

interface Entry<V> {
  value: V;
  cachedAt: number;
}

/**
 * Values read from the database, by id, kept while a LISTEN connection (NotificationListener) hears of their
 * changes: triggers NOTIFY on `channel` whatever changed the rows, on every replica, and each
 * forgets what the payload names. While that connection is down the cache is empty and keeps
 * nothing, so a change missed meanwhile is never served. An LRU map (at most `maxEntries`) whose
 * entries are also read again after `maxAgeMs`. Fed by reads: take `currentVersion` before the
 * read and hand it to `remember` with its result; a read that a notification, a loss or a
 * reconnect overtook is not kept (it may have read the row before the change).
 * The gateway's API keys (ADR 7) and notifications' webhook subscriptions (ADR 6) are its users.
 */
export class ListenedCache<V> {
  /** In least recently used order: a hit moves its entry to the end. */
  private readonly entries = new Map<string, Entry<V>>();
  private listener?: NotificationListener;
  private listening = false;
  /** Bumped by every notification, loss and (re)connect: a read that spans one is not kept. */
  private version = 0;
  private lostOnce = false;

  constructor(private readonly options: ListenedCacheOptions<V>) {}

  /** Starts listening (and so caching); a second call does nothing. */
  async start(): Promise<void> {
    if (this.listener) return;
    const { url, channel, applicationName, label, log } = this.options;
    this.listener = new NotificationListener({
      url,
      channel,
      applicationName,
      onNotification: (payload) => this.changed(payload),
      onListening: () => this.resume(),
      onLost: () => this.suspend(),
      onProblem: (message) => log.warn(`${label.cache} ${message}; ${label.entries} are read from the database meanwhile`),
    });
    await this.listener.start();
  }

  async stop(): Promise<void> {
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

  /** Whether an id is cached (for tests and diagnostics; does not count as a use). */
  has(id: string): boolean {
    return this.entries.has(id);
  }

  /** Taken before a read, handed to `remember` with its result. */
  get currentVersion(): number {
    return this.version;
  }

  get(id: string, now = Date.now()): V | undefined {
    if (!this.listening) return undefined;
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    this.entries.delete(id);
    if (now - entry.cachedAt >= this.options.maxAgeMs) return undefined;
    this.entries.set(id, entry);
    return entry.value;
  }

  /**
   * Keeps a value read from the database, unless something may have changed it since the read began
   * (a notification, or the LISTEN connection lost or regained: `version` moved) or the cache is off.
   */
  remember(id: string, value: V, versionBeforeRead: number, now = Date.now()): void {
    if (!this.listening || versionBeforeRead !== this.version) return;
    this.entries.delete(id);
    this.entries.set(id, { value, cachedAt: now });
    if (this.entries.size > this.options.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }

  // The listener's callbacks (public for unit specs).

  /** A notification on the channel: forgets what it names. */
  changed(payload: string): void {
    this.version++;
    const toForget = this.options.toForget(payload);
    if (toForget === 'everything') {
      this.entries.clear();
    } else if ('id' in toForget) {
      this.entries.delete(toForget.id);
    } else {
      for (const [id, entry] of this.entries) if (toForget.matching(entry.value)) this.entries.delete(id);
    }
  }

  /** The LISTEN connection is lost: forget everything and keep nothing until it listens again. */
  suspend(): void {
    this.version++;
    this.listening = false;
    this.entries.clear();
    this.lostOnce = true;
    const { cache, entries } = this.options.label;
    this.options.log.warn(`${cache} off: its LISTEN connection was lost; ${entries} are read from the database until it is back`);
  }

  /** The connection LISTENs (again): keep what is read from now on. */
  resume(): void {
    this.version++;
    this.listening = true;
    if (this.lostOnce) this.options.log.log(`${this.options.label.cache} on again: its LISTEN connection is back`);
  }
}
