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
   * The statement that starts a keyed route's transaction: inserts the key. Text with literals
   * (`literal`: the driver's escaping) rather than a parameterised query, because it travels in one round trip
   * with START TRANSACTION (`startTransactionWith`; a round trip fewer per state-changing
   * request). A concurrent transaction that inserted the same key first makes this wait on the
   * primary key until it ends: when it committed, nothing is inserted; when it rolled back, this
   * insert goes ahead. Its result has one row (the key) when the key was new, none when it was
   * recorded already.
   */
  insertStatement(literal: (value: string) => string, key: string, route: string, requestHash: string): string {
    const values = [key, route, requestHash].map(literal).join(', ');
    return `INSERT INTO idempotent_request (key, route, request_hash) VALUES (${values}) ON CONFLICT (key) DO NOTHING RETURNING key`;
  }

  /**
   * The statement that stores the outcome of a key the transaction inserted, sent with its
   * COMMIT (`sendWithCommit`: no round trip of its own). Literals as above.
   */
  completeStatement(literal: (value: string) => string, key: string, statusCode: number, response: unknown): string {
    if (!Number.isInteger(statusCode)) throw new Error(`not an HTTP status code: ${statusCode}`);
    return `UPDATE idempotent_request SET status_code = ${statusCode}, response = ${literal(JSON.stringify(response ?? null))}::jsonb WHERE key = ${literal(key)}`;
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
