import { createHash } from 'node:crypto';
import { ResilientClient } from './resilient-client.js';

/** Named statements one connection prepares at most; further statements go unnamed (parsed each time). */
export const MAX_PREPARED_STATEMENTS_PER_CONNECTION = 256;

/** The statements worth a plan cache: plannable DML. Utility statements (LISTEN, NOTIFY, SET, DDL, CALL…) never. */
const PLANNABLE = /^\s*(?:select|insert|update|delete|with)\b/i;

/** PostgreSQL's answer when a prepared statement's result columns changed under it (a migration). */
const RESULT_TYPE_CHANGED = 'cached plan must not change result type';

/**
 * The pool's client class when DATABASE_PREPARED_STATEMENTS is on (the default): a parameterised
 * statement is sent as a named prepared statement, so the backend parses and plans its text once
 * per connection instead of on every call (pg sends a query with values as an *unnamed* statement:
 * Parse, plan, Bind, Execute each time; measured in issue #13). It is a pg client subclass, passed
 * to pg.Pool as `Client` like ResilientClient: every query TypeORM and our repositories send goes
 * through `query`, and nothing else of pg or TypeORM is replaced.
 *
 * Only `query(text, values)` with at least one value is named, and only for SELECT/INSERT/UPDATE/
 * DELETE/WITH: a statement with parameters is always a single statement (the extended protocol
 * refuses several), so the simple multi-statement strings (`START TRANSACTION; …`, `…; COMMIT`),
 * queries without parameters, LISTEN/NOTIFY and other utility statements go as before.
 * The name is derived from a hash of the text, so the same statement has the same name on every
 * connection (recognisable in pg_prepared_statements). At most MAX_PREPARED_STATEMENTS_PER_CONNECTION
 * texts per connection get a name; beyond that they are sent unnamed, as without this class, so a
 * backend never accumulates statements without bound.
 *
 * What pg and PostgreSQL take care of:
 * - pg remembers a name as prepared only once the server answered ParseComplete, per connection:
 *   a Parse that fails (syntax error, a missing table, an aborted transaction) is sent again next
 *   time, and a new connection (after a reset or a pool eviction) starts with nothing prepared.
 *   Prepared statements are not transactional: a rollback leaves them in place.
 * - After DDL (a migration), PostgreSQL replans a prepared statement by itself. The one exception
 *   is a statement whose result columns changed (`SELECT *`, `RETURNING *` after a column was added
 *   or dropped): it would fail with "cached plan must not change result type" every time. Instead,
 *   the text is sent unnamed from then on: at once again if the statement ran outside a transaction
 *   block; in one, the error is passed on (once per connection and statement) for the caller to retry.
 * - Plans: PostgreSQL plans the first five executions of a prepared statement for their actual
 *   values (custom plans) and switches to a generic plan only if it is not costlier, so skewed
 *   values keep getting fitting plans. `plan_cache_mode` is left at its default (auto) on purpose.
 *
 * Turn it off (DATABASE_PREPARED_STATEMENTS=false) behind a transaction-pooling PgBouncer older
 * than 1.21, which cannot follow named statements across server connections.
 */
export class PreparingClient extends ResilientClient {
  /** Text → name for the texts this connection prepares; null once a text must go unnamed. */
  private readonly statementNames = new Map<string, string | null>();

  // pg's `query` is a set of overloads (text or config, values or callback, a Submittable…): this
  // override takes the one call it changes and hands every other call to pg as it came.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override query(config: unknown, values?: unknown, callback?: unknown): any {
    if (typeof config === 'string' && Array.isArray(values) && values.length > 0 && callback === undefined) {
      const name = this.statementName(config);
      if (name !== null) {
        return super.query({ name, text: config, values }).catch((error: unknown) => {
          if (!(error instanceof Error && error.message === RESULT_TYPE_CHANGED)) throw error;
          this.statementNames.set(config, null);
          // Outside a transaction block nothing else was undone: sent again at once, unnamed. In one,
          // the transaction is aborted and its caller retries (a message handler does).
          if (this.getTransactionStatus() === 'I') return super.query(config, values);
          throw error;
        });
      }
    }
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return (super.query as (...args: unknown[]) => any)(config, values, callback);
  }

  private statementName(text: string): string | null {
    const known = this.statementNames.get(text);
    if (known !== undefined) return known;
    if (this.statementNames.size >= MAX_PREPARED_STATEMENTS_PER_CONNECTION || !PLANNABLE.test(text)) return null;
    const name = `skald_${createHash('sha256').update(text).digest('hex').slice(0, 32)}`;
    this.statementNames.set(text, name);
    return name;
  }
}
