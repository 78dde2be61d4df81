import type pg from 'pg';
import type { QueryRunner } from 'typeorm';
import type { PostgresRunnerInternals } from './postgres-runner-internals.js';

/**
 * Starts a transaction on `runner` with `statement` as its first statement, in one round trip
 * (one simple query, `START TRANSACTION; <statement>`): on a hot path a round trip is a socket
 * write and a wake-up of the database backend. The statement is sent as text, so its values must
 * be literals escaped by the driver (`client.escapeLiteral`, the client passed to `statement`).
 * The runner is then marked in a transaction as TypeORM's own `startTransaction` would, so its
 * manager, nested transactions and the commit (with its AfterTransactionCommit event) behave as
 * usual; only the Before/AfterTransactionStart events are not sent. Its counterpart at the end is
 * `sendWithCommit` (commit-writes.ts): a statement sent with the COMMIT. If the statement fails, the
 * transaction is rolled back here and the error thrown.
 * @returns the statement's result.
 */
export async function startTransactionWith(runner: QueryRunner, statement: string): Promise<pg.QueryResult> {
  const client = await connectionOf(runner);
  let results: [pg.QueryResult, pg.QueryResult];
  try {
    results = (await client.query(`START TRANSACTION; ${statement}`)) as unknown as [pg.QueryResult, pg.QueryResult];
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
  const state = runner as unknown as PostgresRunnerInternals;
  state.isTransactionActive = true;
  state.transactionDepth = 1;
  return results[1];
}

/** The runner's pg connection (connecting it if need be), whose `escapeLiteral` makes the literals of the statements above. */
export async function connectionOf(runner: QueryRunner): Promise<pg.ClientBase> {
  return (await runner.connect()) as pg.ClientBase;
}
