import type { QueryResult } from 'pg';
import { RateLimiterPostgres } from 'rate-limiter-flexible';

/** The table the migration `RateLimits` creates; every limiter keeps its counters there, told apart by key prefix. */
export const RATE_LIMIT_TABLE = 'rate_limit';

/**
 * The source address's failed-authentication counter, read by the statement that counts a
 * request of a key (see KeyCounter): its row key (`auth:addr:<address>`) and the limit above
 * which the address is blocked.
 */
export class AddressCheck {
  /**
   * What the counting statement found: the counter's live row, null for none, undefined while no
   * statement has read it (the key's request was refused from memory, or the store failed).
   */
  found?: { points: number; expire: number | null } | null;

  constructor(
    readonly rowKey: string,
    readonly limit: number,
  ) {}

  /** Milliseconds the block has left (-1 for no end, as the library says), or undefined when the address is not blocked. */
  get blockedForMs(): number | undefined {
    if (!this.found || this.found.points <= this.limit) return undefined;
    return this.found.expire === null ? -1 : Math.max(this.found.expire - Date.now(), 0);
  }
}

/** A request of a good key from a blocked address: nothing was counted against the key. */
export class AddressBlocked extends Error {
  constructor(readonly msBeforeNext: number) {
    super('the source address is blocked');
  }
}

/** The consume options that carry an address check to the counter's statement. */
export interface KeyCountOptions {
  addressCheck?: AddressCheck;
}

/**
 * What rate-limiter-flexible 11's RateLimiterPostgres does in methods its typings do not show,
 * and KeyCounter overrides or calls: `_upsert` counts (the statement below is its own with the
 * address read added) and `_query` sends a named (prepared) statement on the store's pool. A
 * library upgrade that changes them fails the gateway's rate-limit specs; were `_upsert` no longer
 * called, the address would be read on its own statement (see RateLimitService.admitKey), as before.
 */
interface PostgresLimiterInternals {
  _upsert(key: string, points: number, msDuration: number, forceExpire?: boolean, options?: KeyCountOptions): Promise<QueryResult>;
  _query(query: { name: string; text: string; values: unknown[] }): Promise<QueryResult>;
}

const library = RateLimiterPostgres.prototype as unknown as PostgresLimiterInternals;

/**
 * A key's counter (the per-second window or the burst allowance, ADR 13) whose statement also
 * reads the source address's failed-authentication counter, in the same statement: on every
 * authenticated request this saves the gateway a statement and a round trip to its database.
 * The address row is read from the statement's snapshot, as the separate read did just before;
 * when the address is over its limit (blocked) the key's row is left alone, as it was when the
 * block check came first and refused, and the count rejects with AddressBlocked. Once an
 * address was read, the other counter of the same request (the burst after a spent second)
 * counts with the library's own statement.
 */
export class KeyCounter extends RateLimiterPostgres {
  _upsert(key: string, points: number, msDuration: number, forceExpire = false, options: KeyCountOptions = {}): Promise<QueryResult> {
    const check = options.addressCheck;
    if (forceExpire || !check || check.found !== undefined) return library._upsert.call(this, key, points, msDuration, forceExpire, options);
    const now = Date.now();
    const newExpire = msDuration > 0 ? now + msDuration : null;
    // The library's upsert (rlflx-upsert) as the second CTE, run only while the address is not blocked.
    return library._query
      .call(this, {
        name: 'rlflx-upsert-checking-address',
        text: `WITH address AS (
                 SELECT points, expire FROM "${RATE_LIMIT_TABLE}" WHERE key = $5 AND (expire > $4 OR expire IS NULL)
               ), counted AS (
                 INSERT INTO "${RATE_LIMIT_TABLE}" (key, points, expire)
                 SELECT $1::varchar, $2::integer, $3::bigint WHERE NOT EXISTS (SELECT FROM address WHERE points > $6)
                 ON CONFLICT (key) DO UPDATE SET
                   points = CASE WHEN "${RATE_LIMIT_TABLE}".expire <= $4 THEN $2 ELSE "${RATE_LIMIT_TABLE}".points + ($2) END,
                   expire = CASE WHEN "${RATE_LIMIT_TABLE}".expire <= $4 THEN $3 ELSE "${RATE_LIMIT_TABLE}".expire END
                 RETURNING points, expire
               )
               SELECT counted.points, counted.expire, address.points AS address_points, address.expire AS address_expire
                 FROM (VALUES (1)) AS one (n) LEFT JOIN counted ON true LEFT JOIN address ON true`,
        values: [key, points, newExpire, now, check.rowKey, check.limit],
      })
      .then((result) => {
        const row = result.rows[0] as { points: number | null; expire: string | null; address_points: number | null; address_expire: string | null };
        check.found = row.address_points === null ? null : { points: row.address_points, expire: row.address_expire === null ? null : Number(row.address_expire) };
        const blockedForMs = check.blockedForMs;
        if (blockedForMs !== undefined) throw new AddressBlocked(blockedForMs);
        // What the library reads of its own statement's result: the key's row.
        return { ...result, rowCount: 1, rows: [{ points: row.points, expire: row.expire }] };
      });
  }
}
