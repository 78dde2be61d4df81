/**
 * What a database error says about the database, as opposed to about the work that ran into it:
 * - `unavailable`: the database cannot be reached or is refusing work (connection refused, reset or
 *   terminated, shutting down, too many connections, no connection from the pool in time, no answer
 *   within the client-side query timeout). Retrying the same work later will succeed once it is back.
 * - `timeout`: the statement timeout cancelled a statement on a database that answered. The work
 *   itself may be at fault (a runaway query), so a message consumer counts it as a failed attempt.
 * - `undefined`: anything else (constraint violations, serialization failures, bugs).
 */
export type DatabaseFailure = 'unavailable' | 'timeout';

// SQLSTATEs of a database that refuses or drops the connection (see PostgreSQL's appendix A).
const UNAVAILABLE_SQLSTATE = /^(08...|57P01|57P02|57P03|53300)$/;
const STATEMENT_TIMEOUT_SQLSTATE = '57014';
// "database … is not currently accepting connections" (ALLOW_CONNECTIONS false) is 55000, a class
// that otherwise means a wrong state of an object; only this message makes it an outage.
const NOT_ACCEPTING_CONNECTIONS = /is not currently accepting connections/;
// Node's socket errors while connecting to or talking with the server.
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
// node-postgres and pg-pool raise these as plain Errors without a code.
const CLIENT_MESSAGES = [
  /^Connection terminated/, // the server or the network closed the socket (also "… due to connection timeout")
  /^timeout exceeded when trying to connect$/, // pg-pool: no connection within connectionTimeoutMillis
  /^Query read timeout$/, // query_timeout: the server did not answer at all
  /^Client has encountered a connection error and is not queryable$/,
  /^Client was closed and is not queryable$/,
  /^Cannot use a pool after calling end on the pool$/,
];
// TypeORM's errors for a query runner it released (see below), by name: one thrown by the runner, one by its EntityManager.
const RELEASED_RUNNER_ERRORS = new Set(['QueryRunnerAlreadyReleasedError', 'QueryRunnerProviderAlreadyReleasedError']);

/**
 * Classifies an error thrown by TypeORM or node-postgres (looking through TypeORM's `driverError`,
 * an `AggregateError`'s errors and `cause`).
 */
export function databaseFailureOf(error: unknown): DatabaseFailure | undefined {
  const seen = new Set<unknown>();
  const visit = (candidate: unknown): DatabaseFailure | undefined => {
    if (candidate === null || typeof candidate !== 'object' || seen.has(candidate)) return undefined;
    seen.add(candidate);
    const { code, message } = candidate as { code?: unknown; message?: unknown };
    if (typeof code === 'string') {
      if (UNAVAILABLE_SQLSTATE.test(code) || SOCKET_CODES.has(code)) return 'unavailable';
      if (code === '55000' && typeof message === 'string' && NOT_ACCEPTING_CONNECTIONS.test(message)) return 'unavailable';
      if (code === STATEMENT_TIMEOUT_SQLSTATE && typeof message === 'string' && /statement timeout/.test(message)) return 'timeout';
    }
    if (typeof message === 'string' && CLIENT_MESSAGES.some((pattern) => pattern.test(message))) return 'unavailable';
    // TypeORM releases a query runner whose connection emitted an error (the server or the network
    // dropped it); its next query throws the first, a later call of its EntityManager (the rest of
    // a transaction's work) the second. Misuse of a runner by code would throw them too, but
    // deterministically, and the consumer's give-back bound turns that into attempts.
    if (RELEASED_RUNNER_ERRORS.has(String((candidate as { name?: unknown }).name))) return 'unavailable';
    const nested = [
      (candidate as { driverError?: unknown }).driverError,
      (candidate as { cause?: unknown }).cause,
      ...(candidate instanceof AggregateError ? candidate.errors : []),
    ];
    for (const inner of nested) {
      const found = visit(inner);
      if (found) return found;
    }
    return undefined;
  };
  return visit(error);
}

/** True when the error means the database cannot be reached (see {@link databaseFailureOf}). */
export function isDatabaseUnavailable(error: unknown): boolean {
  return databaseFailureOf(error) === 'unavailable';
}
