import type pg from 'pg';
import type { QueryRunner } from 'typeorm';
import type { PostgresRunnerInternals } from './postgres-runner-internals.js';

/** Where a query runner keeps the writes waiting for its transaction's COMMIT. */
const KEY = 'skaldCommitWrites';

/** Rows of one kind that a transaction writes with its COMMIT (the outbox's messages, a saga's steps). */
export interface CommitWriter<T> {
  /**
   * The statement writing `items` (at least one, in the order they were added), values as
   * literals escaped with `client` (the statement goes out as a simple query, without parameters).
   */
  statement(items: readonly T[], client: pg.ClientBase): string;
  /** Sent after every other writer's statement, just before the COMMIT (the inbox's duration: measured at the very end). */
  readonly last?: boolean;
  /** Called with the items once the COMMIT has succeeded (the outbox hands its messages to the relay). */
  committed?(items: readonly T[], runner: QueryRunner): void;
}

interface Entry {
  writer: CommitWriter<unknown>;
  item: unknown;
  /** The transaction depth it was added at: 1 at the top, 2 inside the first savepoint, … */
  depth: number;
}

/** Sends the statements of the "last" writer as they are (several join with `; `). */
const LAST_STATEMENTS: CommitWriter<string> = { last: true, statement: (statements) => statements.join('; ') };

/**
 * Writes `item` with the COMMIT of the transaction under way on `runner` (see CommitWrites).
 * @throws Error outside a transaction: the caller writes at once then.
 */
export function writeWithCommit<T>(runner: QueryRunner, writer: CommitWriter<T>, item: T): void {
  CommitWrites.of(runner).add(writer as CommitWriter<unknown>, item);
}

/**
 * Sends `statement` with the transaction's top-level COMMIT, after the rows of every writer (the
 * inbox's record of how long the handler took: known only at the end, and not worth a round trip
 * of its own). If it fails, the commit does not happen.
 */
export function sendWithCommit(runner: QueryRunner, statement: string): void {
  writeWithCommit(runner, LAST_STATEMENTS, statement);
}

/**
 * What one transaction writes with its COMMIT, in the same round trip.
 *
 * On the hot path a round trip to PostgreSQL is a socket write and a wake-up of the backend per
 * statement, so rows nothing in the transaction reads again (outbox messages, saga steps) do not
 * get one each: the commit goes out as one simple query, `INSERT … VALUES (…), (…); INSERT …;
 * COMMIT`, one multi-row INSERT per writer, values escaped by the driver. The rows are still part
 * of the transaction: if an insert fails, PostgreSQL runs nothing after it, the commit fails and
 * the caller rolls back, so neither the state change nor the rows happen. To keep this inside
 * TypeORM's own commit, the runner's `query`, `commitTransaction` and `rollbackTransaction` are
 * wrapped for the runner's lifetime (a runner per transaction in practice); only its top-level
 * COMMIT changes. A transaction with nothing to write commits as before.
 *
 * Savepoints: rolling back a nested transaction drops what was added inside it, as PostgreSQL
 * drops its rows; a released savepoint's writes belong to the enclosing transaction from then on.
 */
class CommitWrites {
  private entries: Entry[] = [];

  private constructor(private readonly runner: QueryRunner) {}

  /** The runner's commit writes, created (and the runner's commit taught to send them) on first use. */
  static of(runner: QueryRunner): CommitWrites {
    const existing = runner.data?.[KEY] as CommitWrites | undefined;
    if (existing) return existing;
    const writes = new CommitWrites(runner);
    runner.data = { ...runner.data, [KEY]: writes };
    writes.wrapRunner();
    return writes;
  }

  add(writer: CommitWriter<unknown>, item: unknown): void {
    const depth = this.internals.transactionDepth;
    if (!this.internals.isTransactionActive || depth < 1) throw new Error('a write with the commit needs a transaction under way');
    this.entries.push({ writer, item, depth });
  }

  private get internals(): PostgresRunnerInternals {
    return this.runner as unknown as PostgresRunnerInternals;
  }

  private wrapRunner(): void {
    const runner = this.runner;
    const query = runner.query.bind(runner);
    const commit = runner.commitTransaction.bind(runner);
    const rollback = runner.rollbackTransaction.bind(runner);
    runner.query = ((sql: string, parameters?: unknown[], structured?: boolean) => {
      if (sql !== 'COMMIT' || this.entries.length === 0 || this.internals.transactionDepth !== 1) {
        return query(sql, parameters, structured as true);
      }
      // Taken now: whether the commit succeeds or fails, they are written once or never.
      const entries = this.entries;
      this.entries = [];
      const groups = groupByWriter(entries);
      const statements = groups.map(([writer, items]) => writer.statement(items, this.internals.databaseConnection));
      return query([...statements, 'COMMIT'].join('; '), parameters, structured as true).then((result) => {
        for (const [writer, items] of groups) writer.committed?.(items, runner);
        return result;
      });
    }) as QueryRunner['query'];
    runner.commitTransaction = async () => {
      const depth = this.internals.transactionDepth;
      await commit();
      // A released savepoint: what it added now belongs to the enclosing transaction (a later
      // rollback of a sibling savepoint must not drop it).
      if (depth > 1) for (const entry of this.entries) entry.depth = Math.min(entry.depth, depth - 1);
    };
    runner.rollbackTransaction = () => {
      // A rollback at depth d undoes everything added at depth d or deeper.
      const depth = this.internals.transactionDepth;
      this.entries = this.entries.filter((entry) => entry.depth < depth);
      return rollback();
    };
  }
}

/** Each writer with its items in the order they were added; writers in order of first use, the `last` ones at the end. */
function groupByWriter(entries: readonly Entry[]): Array<[CommitWriter<unknown>, unknown[]]> {
  const groups = new Map<CommitWriter<unknown>, unknown[]>();
  for (const { writer, item } of entries) {
    const items = groups.get(writer);
    if (items) items.push(item);
    else groups.set(writer, [item]);
  }
  const all = [...groups];
  return [...all.filter(([writer]) => !writer.last), ...all.filter(([writer]) => writer.last)];
}
