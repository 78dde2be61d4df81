import type { QueryRunner } from 'typeorm';
import type { PostgresRunnerInternals } from '../typeorm-internals.js';
import type { OutboxRecord } from './outbox.js';

/** Where a query runner keeps the outbox of its transaction. */
const KEY = 'skaldTransactionOutbox';

interface Entry {
  record: OutboxRecord;
  /** The transaction depth it was published at: 1 at the top, 2 inside the first savepoint, … */
  depth: number;
}

/**
 * The messages one transaction has published for the relay of this process, written by the
 * transaction's COMMIT.
 *
 * On the hot path a round trip to PostgreSQL is a socket write and a wake-up of the backend per
 * message, so the outbox rows do not get one of their own: the commit goes out as one simple
 * query, `INSERT INTO outbox_message … VALUES (…), (…); COMMIT`, values escaped by the driver.
 * The rows are still part of the transaction: if the insert fails, PostgreSQL runs nothing after
 * it, the commit fails and TypeORM rolls back, so neither the state change nor the messages
 * happen. To keep this inside TypeORM's own commit, the runner's `query` is wrapped for the
 * runner's lifetime (a runner per transaction in practice); only its top-level COMMIT changes.
 *
 * Savepoints: rolling back a nested transaction drops the messages published inside it, as
 * PostgreSQL drops their rows; the relay never publishes a message whose row did not commit.
 */
export class TransactionOutbox {
  /** Published in the transaction under way. */
  private entries: Entry[] = [];
  /** Written by the last COMMIT, until the relay takes them (if it runs no longer, its successors claim the rows). */
  private committed: OutboxRecord[] = [];
  /** Statements of the transaction's top level that go out with its COMMIT (see `beforeCommit`). */
  private lastStatements: string[] = [];

  private constructor(
    private readonly runner: QueryRunner,
    private leaseMs: number,
  ) {}

  /** The runner's transaction outbox, created (and the runner's commit taught to write it) on first use. */
  static of(runner: QueryRunner, leaseMs: number): TransactionOutbox {
    const existing = runner.data?.[KEY] as TransactionOutbox | undefined;
    if (existing) {
      existing.leaseMs = leaseMs;
      return existing;
    }
    const outbox = new TransactionOutbox(runner, leaseMs);
    runner.data = { ...runner.data, [KEY]: outbox };
    outbox.wrapRunner();
    return outbox;
  }

  /**
   * Sends `statement` with the transaction's top-level COMMIT, in the same round trip, after the
   * outbox rows (the inbox's record of how long the handler took: known only at the end, and not
   * worth a round trip of its own). If it fails, the commit does not happen.
   */
  static beforeCommit(runner: QueryRunner, statement: string): void {
    TransactionOutbox.of(runner, (runner.data?.[KEY] as TransactionOutbox | undefined)?.leaseMs ?? 0).lastStatements.push(statement);
  }

  /** The messages the transaction that just committed on `runner` published, handed over once. */
  static takeCommitted(runner: QueryRunner): OutboxRecord[] {
    const outbox = runner.data?.[KEY] as TransactionOutbox | undefined;
    if (!outbox) return [];
    const records = outbox.committed;
    outbox.committed = [];
    return records;
  }

  add(record: OutboxRecord): void {
    this.entries.push({ record, depth: this.internals.transactionDepth });
  }

  private get internals(): PostgresRunnerInternals {
    return this.runner as unknown as PostgresRunnerInternals;
  }

  private wrapRunner(): void {
    const runner = this.runner;
    const query = runner.query.bind(runner);
    const rollback = runner.rollbackTransaction.bind(runner);
    runner.query = ((sql: string, parameters?: unknown[], structured?: boolean) => {
      if (sql !== 'COMMIT' || (this.entries.length === 0 && this.lastStatements.length === 0) || this.internals.transactionDepth !== 1) {
        return query(sql, parameters, structured as true);
      }
      const commit = this.commitWithRows();
      this.lastStatements = [];
      return query(commit, parameters, structured as true).then((result) => {
        this.committed = this.entries.map((entry) => entry.record);
        this.entries = [];
        return result;
      });
    }) as QueryRunner['query'];
    runner.rollbackTransaction = () => {
      // A rollback at depth d undoes everything published at depth d or deeper.
      const depth = this.internals.transactionDepth;
      this.entries = this.entries.filter((entry) => entry.depth < depth);
      if (depth <= 1) this.lastStatements = [];
      return rollback();
    };
  }

  /** One simple query: the rows, the last statements, then the commit (skipped by PostgreSQL if any fails). */
  private commitWithRows(): string {
    const statements = [...(this.entries.length > 0 ? [this.insertRows()] : []), ...this.lastStatements, 'COMMIT'];
    return statements.join('; ');
  }

  private insertRows(): string {
    const client = this.internals.databaseConnection;
    const literal = (value: string) => client.escapeLiteral(value);
    const lease = `now() + ${Number(this.leaseMs)} * interval '1 millisecond'`;
    const rows = this.entries.map(({ record }) => {
      const values = [record.id, record.exchange, record.routingKey, record.body, JSON.stringify(record.headers), record.correlationId];
      return `(${values.map(literal).join(', ')}, ${lease})`;
    });
    return `INSERT INTO outbox_message (id, exchange, routing_key, envelope, headers, correlation_id, available_at) VALUES ${rows.join(', ')}`;
  }
}
