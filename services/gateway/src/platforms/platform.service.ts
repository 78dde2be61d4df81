import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { PARTIAL_REMAINDERS, PlatformRegisteredV1, SHORTAGE_MODES, SkaldError, type PartialRemainder, type ShortageMode } from '@skald/contracts';
import { Outbox } from '@skald/messaging';
import type { EntityManager } from 'typeorm';
import { ApiKeyService, type IssuedApiKey } from '../api-keys/api-key.service.js';
import type { Platform } from './platform.entity.js';
import { PlatformRepository } from './platform.repository.js';

export interface PlatformSettings {
  name: string;
  /** Percent a unit price may be below list price, 0–100 with up to 2 decimals. */
  priceTolerancePct: string;
  /** Orders above this amount wait for a reviewer: a decimal string with up to 4 decimals. */
  reviewAmountThreshold: string;
  /** Default stock shortage policy of its orders (default reject). */
  shortageMode?: string;
  /** Days a backorder waits, 1–365 (default 14). */
  backorderDays?: string;
  /** partial: backorder or cancel the rest (default backorder). */
  partialRemainder?: string;
  /** Its keys' requests per second, 1–1000000 (burst twice that); default: the gateway's RATE_LIMIT_PER_SECOND. */
  rateLimitPerSecond?: string;
  /** How far ahead an order's own backorder deadline may be, 1–365 and at least backorderDays (default 90, or backorderDays if more). */
  maxBackorderDays?: string;
}

/** The default of a platform's maximum backorder deadline ahead, in days. */
export const DEFAULT_MAX_BACKORDER_DAYS = 90;

const isDays = (value: string) => /^\d{1,3}$/.test(value) && Number(value) >= 1 && Number(value) <= 365;

export interface RegisteredPlatform {
  platform: Platform;
  key: IssuedApiKey;
}

/** The highest per-second rate a platform may be given (the database CHECK says the same). */
export const MAX_RATE_LIMIT_PER_SECOND = 1_000_000;

/** What is wrong with a per-second rate limit given as text (nothing: undefined). */
export function rateLimitProblem(rate: string): string | undefined {
  return /^\d{1,7}$/.test(rate) && Number(rate) >= 1 && Number(rate) <= MAX_RATE_LIMIT_PER_SECOND
    ? undefined
    : `the rate limit must be a whole number of requests per second from 1 to ${MAX_RATE_LIMIT_PER_SECOND}`;
}

const PERCENT = /^\d{1,3}(\.\d{1,2})?$/;
const AMOUNT = /^\d{1,10}(\.\d{1,4})?$/;

/** What is wrong with a platform's settings (nothing: an empty list). */
export function platformSettingsProblems(settings: PlatformSettings): string[] {
  const problems: string[] = [];
  const name = settings.name.trim();
  if (name.length < 1 || name.length > 200) problems.push('the name must be 1 to 200 characters');
  if (!PERCENT.test(settings.priceTolerancePct) || Number(settings.priceTolerancePct) > 100) {
    problems.push('the price tolerance must be a percentage from 0 to 100 with at most 2 decimals');
  }
  if (!AMOUNT.test(settings.reviewAmountThreshold)) {
    problems.push('the review threshold must be a non-negative amount with at most 4 decimals');
  }
  if (settings.shortageMode !== undefined && !(SHORTAGE_MODES as readonly string[]).includes(settings.shortageMode)) {
    problems.push(`the shortage policy must be one of ${SHORTAGE_MODES.join(', ')}`);
  }
  if (settings.backorderDays !== undefined && !isDays(settings.backorderDays)) {
    problems.push('the backorder days must be a whole number from 1 to 365');
  }
  if (settings.maxBackorderDays !== undefined && !isDays(settings.maxBackorderDays)) {
    problems.push('the max backorder days must be a whole number from 1 to 365');
  } else if (settings.maxBackorderDays !== undefined && Number(settings.maxBackorderDays) < Number(settings.backorderDays ?? 14)) {
    problems.push('the max backorder days must be at least the backorder days');
  }
  if (settings.partialRemainder !== undefined && !(PARTIAL_REMAINDERS as readonly string[]).includes(settings.partialRemainder)) {
    problems.push(`the partial remainder must be one of ${PARTIAL_REMAINDERS.join(', ')}`);
  }
  const rateProblem = settings.rateLimitPerSecond === undefined ? undefined : rateLimitProblem(settings.rateLimitPerSecond);
  if (rateProblem) problems.push(rateProblem);
  return problems;
}

/** Registers platforms (tenants). */
@Injectable()
export class PlatformService {
  constructor(
    private readonly platforms: PlatformRepository,
    private readonly keys: ApiKeyService,
    private readonly outbox: Outbox,
  ) {}

  /**
   * Creates a platform and its first API key and publishes PlatformRegistered, all in the
   * caller's transaction: the services learn of a platform if and only if it exists.
   * @throws SkaldError(INVALID_PLATFORM) when a setting is out of range.
   */
  async register(manager: EntityManager, settings: PlatformSettings): Promise<RegisteredPlatform> {
    const problems = platformSettingsProblems(settings);
    if (problems.length > 0) throw new SkaldError('INVALID_PLATFORM', problems.join('; '), { retryable: false });
    const name = settings.name.trim();

    const platform = await this.platforms.insert(manager, {
      id: randomUUID(),
      name,
      priceTolerancePct: settings.priceTolerancePct,
      reviewAmountThreshold: settings.reviewAmountThreshold,
      shortageMode: (settings.shortageMode ?? 'reject') as ShortageMode,
      backorderDays: Number(settings.backorderDays ?? 14),
      partialRemainder: (settings.partialRemainder ?? 'backorder') as PartialRemainder,
      rateLimitPerSecond: settings.rateLimitPerSecond === undefined ? null : Number(settings.rateLimitPerSecond),
      maxBackorderDays: Number(settings.maxBackorderDays ?? Math.max(DEFAULT_MAX_BACKORDER_DAYS, Number(settings.backorderDays ?? 14))),
    });
    const key = await this.keys.issuePlatformKey(manager, platform.id);
    await this.outbox.publish(
      manager,
      PlatformRegisteredV1,
      {
        tenantId: platform.id,
        name: platform.name,
        priceTolerancePct: Number(settings.priceTolerancePct),
        reviewAmountThreshold: settings.reviewAmountThreshold,
        shortagePolicy: {
          mode: platform.shortageMode,
          backorderDays: platform.backorderDays,
          partialRemainder: platform.partialRemainder,
          maxBackorderDays: platform.maxBackorderDays,
        },
      },
      { tenantId: platform.id },
    );
    return { platform, key };
  }

  /**
   * Gives a platform its own rate limit (requests per second, burst twice that) or, with null,
   * the gateway's default again. Running gateways apply it within a second (a trigger notifies them).
   * @returns false when there is no such platform.
   * @throws SkaldError(INVALID_PLATFORM) when the rate is out of range.
   */
  async setRateLimit(manager: EntityManager, platformId: string, ratePerSecond: string | null): Promise<boolean> {
    const problem = ratePerSecond === null ? undefined : rateLimitProblem(ratePerSecond);
    if (problem) throw new SkaldError('INVALID_PLATFORM', problem, { retryable: false });
    return this.platforms.updateRateLimit(manager, platformId, ratePerSecond === null ? null : Number(ratePerSecond));
  }
}
