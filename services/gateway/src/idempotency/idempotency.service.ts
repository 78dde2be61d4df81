import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { SkaldError } from '@skald/contracts';
import { SERVICE_CONFIG } from '@skald/service-kit';
import type { EntityManager } from 'typeorm';
import type { GatewayConfig } from '../config/gateway-config.js';
import type { StoredResponse } from './idempotency-record.entity.js';
import { IdempotencyRepository, type ClaimedRecord } from './idempotency.repository.js';

/** How long a key is remembered. */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 3_600;

export interface IdempotentRequest {
  /** `tenant:<id>` or `key:<id>`: keys of different scopes never meet. */
  scope: string;
  key: string;
  method: string;
  /** Path and query string. */
  path: string;
  /** The parsed JSON body (undefined when there is none). */
  body: unknown;
}

export type IdempotencyOutcome = { kind: 'started'; record: ClaimedRecord } | { kind: 'replay'; response: StoredResponse };

/** JSON with object keys sorted, so the same document always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === undefined) return '';
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}

export function requestFingerprint(method: string, path: string, body: unknown): string {
  return createHash('sha256').update(`${method.toUpperCase()}\n${path}\n${canonicalJson(body)}`).digest('hex');
}

/**
 * Idempotency-Key semantics: the first request of a key runs and its response is stored; the same
 * request again gets the stored response; another request with the same key is refused, and so
 * is the same key while its first request is still running.
 */
@Injectable()
export class IdempotencyService {
  /** Longer than any request can run (a GET may be tried twice), so only a dead holder goes stale. */
  private readonly staleAfterSeconds: number;

  constructor(
    private readonly records: IdempotencyRepository,
    @Inject(SERVICE_CONFIG) config: GatewayConfig,
  ) {
    this.staleAfterSeconds = Math.max(60, Math.ceil((3 * config.UPSTREAM_TIMEOUT_MS) / 1_000));
  }

  /**
   * Starts a request under its key, or answers it from a completed one.
   * @throws SkaldError IDEMPOTENCY_KEY_REUSED when the key stood for another request,
   *         IDEMPOTENCY_KEY_IN_USE when its first request is still running.
   */
  async begin(manager: EntityManager, request: IdempotentRequest): Promise<IdempotencyOutcome> {
    const fingerprint = requestFingerprint(request.method, request.path, request.body);
    // A record can vanish between the failed claim and the read (its request failed and released
    // it); the next claim then succeeds. Bounded, in case of a pathological churn.
    for (let attempt = 0; attempt < 3; attempt++) {
      const claimed = await this.records.claim(manager, {
        id: randomUUID(),
        scope: request.scope,
        key: request.key,
        method: request.method.toUpperCase(),
        path: request.path,
        fingerprint,
        lockToken: randomUUID(),
        ttlSeconds: IDEMPOTENCY_TTL_SECONDS,
        staleAfterSeconds: this.staleAfterSeconds,
      });
      if (claimed) return { kind: 'started', record: claimed };
      const existing = await this.records.find(manager, request.scope, request.key);
      if (!existing) continue;
      if (existing.fingerprint !== fingerprint) {
        throw new SkaldError(
          'IDEMPOTENCY_KEY_REUSED',
          `This Idempotency-Key was used for another request (${existing.method} ${existing.path} with its own body); use a new key for a new request.`,
          { retryable: false },
        );
      }
      if (existing.status === 'completed' && existing.responseStatus !== null) {
        return {
          kind: 'replay',
          response: { status: existing.responseStatus, headers: existing.responseHeaders ?? {}, body: existing.responseBody },
        };
      }
      break;
    }
    throw new SkaldError('IDEMPOTENCY_KEY_IN_USE', 'A request with this Idempotency-Key is still being processed; retry shortly.');
  }

  /** Stores the response of a started request. @returns false when the record was taken over meanwhile. */
  complete(manager: EntityManager, record: ClaimedRecord, response: StoredResponse): Promise<boolean> {
    return this.records.complete(manager, record, response);
  }

  /**
   * Keeps a started request's key in progress after its forwarding failed with an unknown outcome
   * (timeout, reset, 5xx): the service may have acted, so the key must not be forgotten; the same
   * request retried forwards again with the same service key, and the service answers it once.
   */
  letGo(manager: EntityManager, record: ClaimedRecord): Promise<void> {
    return this.records.letGo(manager, record);
  }

  /** Forgets a started request that was not forwarded (the gateway refused it): the client may retry. */
  release(manager: EntityManager, record: ClaimedRecord): Promise<void> {
    return this.records.release(manager, record);
  }

  /** Deletes expired records in batches. @returns how many. */
  async purgeExpired(manager: EntityManager, batchSize = 1_000): Promise<number> {
    let total = 0;
    for (;;) {
      const deleted = await this.records.deleteExpired(manager, batchSize);
      total += deleted;
      if (deleted < batchSize) return total;
    }
  }
}
