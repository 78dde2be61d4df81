import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** A recorded outcome of an idempotency key. */
export interface RecordedRequest {
  route: string;
  requestHash: string;
  statusCode: number;
  /** The JSON body answered (null for none). */
  response: unknown;
}

/** The `idempotent_request` table (the only code that touches it). */
@Injectable()
export class IdempotentRequestRepository {
  /**
   * Inserts the key in the caller's transaction. A concurrent transaction that inserted the same
   * key first makes this wait on the primary key until it ends: when it committed, nothing is
   * inserted; when it rolled back, this insert goes ahead.
   * @returns false when the key was recorded already.
   */
  async insert(manager: EntityManager, key: string, route: string, requestHash: string): Promise<boolean> {
    const rows = (await manager.query(
      `INSERT INTO idempotent_request (key, route, request_hash) VALUES ($1, $2, $3) ON CONFLICT (key) DO NOTHING RETURNING key`,
      [key, route, requestHash],
    )) as unknown[];
    return rows.length === 1;
  }

  /** Stores the outcome of a key this transaction inserted. */
  async complete(manager: EntityManager, key: string, statusCode: number, response: unknown): Promise<void> {
    await manager.query(`UPDATE idempotent_request SET status_code = $2, response = $3::jsonb WHERE key = $1`, [
      key,
      statusCode,
      JSON.stringify(response ?? null),
    ]);
  }

  async find(manager: EntityManager, key: string): Promise<RecordedRequest | undefined> {
    const rows = (await manager.query(`SELECT route, request_hash, status_code, response FROM idempotent_request WHERE key = $1`, [key])) as Array<{
      route: string;
      request_hash: string;
      status_code: number;
      response: unknown;
    }>;
    const row = rows[0];
    return row && { route: row.route, requestHash: row.request_hash, statusCode: row.status_code, response: row.response };
  }

  /** Deletes up to `limit` records older than the retention. @returns how many. */
  async deleteOlderThan(manager: EntityManager, retentionMs: number, limit: number): Promise<number> {
    const [, affected] = (await manager.query(
      `DELETE FROM idempotent_request WHERE key IN (
         SELECT key FROM idempotent_request WHERE created_at < now() - $1 * interval '1 millisecond' LIMIT $2)`,
      [retentionMs, limit],
    )) as [unknown, number];
    return affected;
  }
}
