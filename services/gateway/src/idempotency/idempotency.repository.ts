import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { IdempotencyRecord, type StoredResponse } from './idempotency-record.entity.js';

export interface ClaimRequest {
  id: string;
  scope: string;
  key: string;
  method: string;
  path: string;
  fingerprint: string;
  lockToken: string;
  ttlSeconds: number;
  /** An in-progress record older than this was abandoned (its process died) and may be taken over. */
  staleAfterSeconds: number;
}

/** A record this request now holds (new, expired and reused, or abandoned and taken over). */
export interface ClaimedRecord {
  id: string;
  lockToken: string;
}

@Injectable()
export class IdempotencyRepository {
  /**
   * Claims (scope, key) for a request in one statement: inserts a new in-progress record, or takes
   * over one that expired, whose outcome an identical request left unknown, or that it abandoned. Concurrent claims of the same key
   * serialise on the unique index, so exactly one of them wins.
   * @returns undefined when another request holds or completed the key.
   */
  async claim(manager: EntityManager, request: ClaimRequest): Promise<ClaimedRecord | undefined> {
    const rows = (await manager.query(
      `INSERT INTO idempotency_record
              (id, scope, key, method, path, fingerprint, status, lock_token, created_at, locked_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, 'in_progress', $7, now(), now(), now() + $8 * interval '1 second')
       ON CONFLICT (scope, key) DO UPDATE SET
              method = EXCLUDED.method, path = EXCLUDED.path, fingerprint = EXCLUDED.fingerprint,
              status = 'in_progress', lock_token = EXCLUDED.lock_token, locked_at = now(),
              response_status = NULL, response_headers = NULL, response_body = NULL, completed_at = NULL,
              created_at = CASE WHEN idempotency_record.expires_at <= now() THEN now() ELSE idempotency_record.created_at END,
              expires_at = CASE WHEN idempotency_record.expires_at <= now() THEN EXCLUDED.expires_at ELSE idempotency_record.expires_at END
        WHERE idempotency_record.expires_at <= now()
           OR (idempotency_record.status = 'in_progress'
               AND idempotency_record.fingerprint = EXCLUDED.fingerprint
               AND (idempotency_record.lock_token IS NULL OR idempotency_record.locked_at <= now() - $9 * interval '1 second'))
       RETURNING id, lock_token`,
      [
        request.id,
        request.scope,
        request.key,
        request.method,
        request.path,
        request.fingerprint,
        request.lockToken,
        request.ttlSeconds,
        request.staleAfterSeconds,
      ],
    )) as Array<{ id: string; lock_token: string }>;
    return rows[0] ? { id: rows[0].id, lockToken: rows[0].lock_token } : undefined;
  }

  find(manager: EntityManager, scope: string, key: string): Promise<IdempotencyRecord | null> {
    return manager.findOneBy(IdempotencyRecord, { scope, key });
  }

  /** Stores the response of a record this request holds. @returns false when it no longer holds it. */
  async complete(manager: EntityManager, claimed: ClaimedRecord, response: StoredResponse): Promise<boolean> {
    const [, affected] = (await manager.query(
      `UPDATE idempotency_record
          SET status = 'completed', response_status = $3, response_headers = $4, response_body = $5, completed_at = now()
        WHERE id = $1 AND lock_token = $2 AND status = 'in_progress'`,
      [claimed.id, claimed.lockToken, response.status, JSON.stringify(response.headers), response.body],
    )) as [unknown, number];
    return affected > 0;
  }

  /**
   * Lets go of a record this request holds without forgetting it: it stays in progress and bound to
   * its request, whose outcome at the service is unknown, and the same request may take it over.
   */
  async letGo(manager: EntityManager, claimed: ClaimedRecord): Promise<void> {
    await manager.query(`UPDATE idempotency_record SET lock_token = NULL WHERE id = $1 AND lock_token = $2 AND status = 'in_progress'`, [
      claimed.id,
      claimed.lockToken,
    ]);
  }

  /** Forgets a record this request holds, so the key can be used again. */
  async release(manager: EntityManager, claimed: ClaimedRecord): Promise<void> {
    await manager.query(`DELETE FROM idempotency_record WHERE id = $1 AND lock_token = $2 AND status = 'in_progress'`, [
      claimed.id,
      claimed.lockToken,
    ]);
  }

  /** Deletes up to `limit` expired records. @returns how many. */
  async deleteExpired(manager: EntityManager, limit: number): Promise<number> {
    const [, affected] = (await manager.query(
      `DELETE FROM idempotency_record
        WHERE id IN (SELECT id FROM idempotency_record WHERE expires_at <= now() LIMIT $1 FOR UPDATE SKIP LOCKED)`,
      [limit],
    )) as [unknown, number];
    return affected;
  }
}
