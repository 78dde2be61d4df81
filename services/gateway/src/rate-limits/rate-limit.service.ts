import { Inject, Injectable, Logger } from '@nestjs/common';
import { SERVICE_CONFIG } from '@skald/service-kit';
import { BurstyRateLimiter, RateLimiterPostgres, RateLimiterRes, type IRateLimiterMongoFunctionOptions } from 'rate-limiter-flexible';
import { DataSource } from 'typeorm';
import type { GatewayConfig } from '../config/gateway-config.js';
import { AddressBlocked, AddressCheck, KeyCounter, RATE_LIMIT_TABLE, type KeyCountOptions } from './key-counter.js';

/**
 * The window of the burst allowance (ADR 13): the `burst − rate` requests above the per-second
 * rate are available once per this many seconds. Long enough that a key held at its limit gains
 * at most (burst − rate) / 10 per second on average, short enough that a burst is soon available again.
 */
export const BURST_WINDOW_SECONDS = 10;

/** A key's limit: sustained requests per second and how many it may send at once. */
export interface RateLimit {
  perSecond: number;
  burst: number;
}

/** What a limiter decided, with what the `RateLimit-*` headers tell the client. */
export interface RateLimitDecision {
  allowed: boolean;
  /** The quota of the current window (`RateLimit-Limit`). */
  limit: number;
  /** Requests left in the current window (`RateLimit-Remaining`). */
  remaining: number;
  /** Seconds until the window starts afresh (`RateLimit-Reset`); when refused, also `Retry-After`. */
  resetSeconds: number;
}

/** A store failure: undefined, the request goes through (fail open, ADR 13). */
export type MaybeDecision = RateLimitDecision | undefined;

/** What counting an authenticated key's request decided: its address is blocked, or the key's own decision. */
export type KeyAdmission = { addressBlocked: RateLimitDecision } | { key: MaybeDecision };

/** Bounds the memory an attack from many addresses can take; beyond it, blocks are read from the database. */
const MAX_REMEMBERED_BLOCKS = 10_000;

const STORE_FAILURE_LOG_INTERVAL_MS = 10_000;

const seconds = (ms: number) => Math.max(0, Math.ceil(ms / 1000));

/**
 * The gateway's rate limits, kept in its PostgreSQL database so that every replica shares them
 * (rate-limiter-flexible's RateLimiterPostgres on the gateway's own connection pool): per API key
 * a per-second window plus a burst allowance, and per source address a limit on failed
 * authentications. A store failure lets the request through with a warning: an outage of the
 * counters must not take the API down.
 */
@Injectable()
export class RateLimitService {
  private readonly logger = new Logger(RateLimitService.name);
  private readonly keyLimiters = new Map<string, BurstyRateLimiter>();
  private readonly authFailures: RateLimiterPostgres;
  /** Addresses this replica knows are blocked, and until when (epoch ms). */
  private readonly blockedAddresses = new Map<string, number>();
  readonly defaultLimit: RateLimit;
  private lastFailureLoggedAt = 0;
  private unloggedFailures = 0;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(SERVICE_CONFIG) private readonly config: GatewayConfig,
  ) {
    this.defaultLimit = { perSecond: config.RATE_LIMIT_PER_SECOND, burst: config.RATE_LIMIT_BURST };
    this.authFailures = this.postgresLimiter(RateLimiterPostgres, {
      keyPrefix: 'auth',
      points: config.AUTH_FAILURE_LIMIT,
      duration: config.AUTH_FAILURE_BLOCK_SECONDS,
      blockDuration: config.AUTH_FAILURE_BLOCK_SECONDS,
      // One limiter sweeps the whole table (rows expired an hour ago, every 5 minutes).
      clearExpiredByTimeout: true,
    });
  }

  /** The limit of a platform key (its platform's own rate, burst twice that) or of any key without one. */
  limitFor(platformRatePerSecond: number | null): RateLimit {
    return platformRatePerSecond === null ? this.defaultLimit : { perSecond: platformRatePerSecond, burst: 2 * platformRatePerSecond };
  }

  /**
   * Counts one request of an authenticated key against its limit, unless its source address is
   * blocked: a blocked address is refused even with a good key, and then nothing is counted
   * against the key (ADR 13). The address's counter is read by the key's counting statement
   * (KeyCounter), not by a statement of its own; only when no such statement ran (the key was
   * refused from memory) or it failed is the address read on its own, as every request did before.
   */
  async admitKey(keyId: string, limit: RateLimit, address: string): Promise<KeyAdmission> {
    const remembered = this.rememberedBlock(address);
    if (remembered) return { addressBlocked: remembered };
    const check = new AddressCheck(this.authFailures.getKey(this.addressKey(address)), this.config.AUTH_FAILURE_LIMIT);
    const options: KeyCountOptions = { addressCheck: check };
    let key: MaybeDecision;
    try {
      // The library's typings name only MongoDB's options; its store limiters pass any options object on to `_upsert`.
      const res = await this.keyLimiter(limit).consume(`key:${keyId}`, 1, options as unknown as IRateLimiterMongoFunctionOptions);
      key = this.decision(true, limit.perSecond, res);
    } catch (outcome) {
      if (outcome instanceof AddressBlocked) return { addressBlocked: this.rememberBlock(address, outcome.msBeforeNext) };
      if (outcome instanceof RateLimiterRes) key = this.decision(false, limit.perSecond, outcome);
      else this.storeFailed('API key', outcome);
    }
    if (check.found === undefined) {
      const blocked = await this.addressBlock(address);
      if (blocked) return { addressBlocked: blocked };
    }
    return { key };
  }

  /** Whether an address has failed authentication too often: a refusal while it is blocked, else undefined. */
  async addressBlock(address: string): Promise<MaybeDecision> {
    const remembered = this.rememberedBlock(address);
    if (remembered) return remembered;
    try {
      const res = await this.authFailures.get(this.addressKey(address));
      if (!res || res.consumedPoints <= this.config.AUTH_FAILURE_LIMIT) return undefined;
      return this.rememberBlock(address, res.msBeforeNext);
    } catch (error) {
      this.storeFailed('source address', error);
      return undefined;
    }
  }

  /** Counts a failed authentication of an address: a refusal when this one crossed the limit (the address is now blocked). */
  async recordAuthFailure(address: string): Promise<MaybeDecision> {
    try {
      await this.authFailures.consume(this.addressKey(address));
      return undefined;
    } catch (outcome) {
      if (outcome instanceof RateLimiterRes) return this.rememberBlock(address, outcome.msBeforeNext);
      this.storeFailed('source address', outcome);
      return undefined;
    }
  }

  /** The refusal of an address this replica knows is blocked (no query), else undefined. */
  private rememberedBlock(address: string): RateLimitDecision | undefined {
    const until = this.blockedAddresses.get(address);
    if (until === undefined) return undefined;
    if (until > Date.now()) return this.refusedAddress(until - Date.now());
    this.blockedAddresses.delete(address);
    return undefined;
  }

  /** A blocked address is then refused from memory until its block ends, without asking the database again. */
  private rememberBlock(address: string, ms: number): RateLimitDecision {
    const now = Date.now();
    if (this.blockedAddresses.size >= MAX_REMEMBERED_BLOCKS) {
      for (const [other, until] of this.blockedAddresses) if (until <= now) this.blockedAddresses.delete(other);
    }
    if (this.blockedAddresses.size < MAX_REMEMBERED_BLOCKS) this.blockedAddresses.set(address, now + ms);
    return this.refusedAddress(ms);
  }

  private refusedAddress(ms: number): RateLimitDecision {
    return { allowed: false, limit: this.config.AUTH_FAILURE_LIMIT, remaining: 0, resetSeconds: Math.max(1, seconds(ms)) };
  }

  private addressKey(address: string): string {
    return `addr:${address}`;
  }

  private decision(allowed: boolean, limit: number, res: RateLimiterRes): RateLimitDecision {
    const resetSeconds = seconds(res.msBeforeNext);
    // Retry-After must be a whole number of seconds of at least 1.
    return { allowed, limit, remaining: Math.max(0, res.remainingPoints), resetSeconds: allowed ? resetSeconds : Math.max(1, resetSeconds) };
  }

  private storeFailed(what: string, error: unknown): void {
    // Once per interval, not once per request: a broken store must not flood the logs as well.
    const now = Date.now();
    this.unloggedFailures += 1;
    if (now - this.lastFailureLoggedAt < STORE_FAILURE_LOG_INTERVAL_MS) return;
    this.logger.warn(
      `rate limit store failed, requests pass unlimited (${this.unloggedFailures} since the last warning; this one: ${what}): ` +
        (error instanceof Error ? error.message : String(error)),
    );
    this.lastFailureLoggedAt = now;
    this.unloggedFailures = 0;
  }

  /** One limiter per distinct limit (the default and each platform's own), all on the same counters. */
  private keyLimiter(limit: RateLimit): BurstyRateLimiter {
    const name = `${limit.perSecond}/${limit.burst}`;
    let limiter = this.keyLimiters.get(name);
    if (!limiter) {
      const extra = limit.burst - limit.perSecond;
      limiter = new BurstyRateLimiter(
        this.postgresLimiter(KeyCounter, {
          keyPrefix: 'rate',
          points: limit.perSecond,
          duration: 1,
          // Once over, the rest of the second is refused from memory (no query per refused request).
          inMemoryBlockOnConsumed: limit.perSecond + 1,
        }),
        this.postgresLimiter(KeyCounter, {
          keyPrefix: 'burst',
          // No burst above the rate: a limiter that never grants (0 points) keeps the code path alike.
          points: extra,
          duration: BURST_WINDOW_SECONDS,
          inMemoryBlockOnConsumed: extra + 1,
        }),
      );
      this.keyLimiters.set(name, limiter);
    }
    return limiter;
  }

  private postgresLimiter(Limiter: typeof RateLimiterPostgres, options: {
    keyPrefix: string;
    points: number;
    duration: number;
    blockDuration?: number;
    inMemoryBlockOnConsumed?: number;
    clearExpiredByTimeout?: boolean;
  }): RateLimiterPostgres {
    return new Limiter({
      ...options,
      clearExpiredByTimeout: options.clearExpiredByTimeout ?? false,
      // The gateway's TypeORM pool: no second pool of connections; one short statement per request.
      storeClient: this.dataSource,
      storeType: 'typeorm',
      tableName: RATE_LIMIT_TABLE,
      tableCreated: true,
    });
  }
}
