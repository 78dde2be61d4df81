import { writeWithCommit, type CommitWriter } from '@skald/persistence';
import type { QueryRunner } from 'typeorm';
import type { OutboxRecord } from './outbox.js';

/** Where a query runner keeps the messages its last COMMIT wrote, until the relay takes them. */
const COMMITTED = 'skaldOutboxCommitted';

interface Pending {
  record: OutboxRecord;
  /** How long the row is reserved for the local relay. */
  leaseMs: number;
}

/** The outbox rows of a transaction, one multi-row INSERT sent with its COMMIT. */
const OUTBOX_ROWS: CommitWriter<Pending> = {
  statement(pending, client) {
    const literal = (value: string) => client.escapeLiteral(value);
    const rows = pending.map(({ record, leaseMs }) => {
      const values = [record.id, record.exchange, record.routingKey, record.body, JSON.stringify(record.headers), record.correlationId];
      return `(${values.map(literal).join(', ')}, now() + ${Number(leaseMs)} * interval '1 millisecond')`;
    });
    return `INSERT INTO outbox_message (id, exchange, routing_key, envelope, headers, correlation_id, available_at) VALUES ${rows.join(', ')}`;
  },
  committed(pending, runner) {
    const earlier = (runner.data?.[COMMITTED] as OutboxRecord[] | undefined) ?? [];
    runner.data = { ...runner.data, [COMMITTED]: [...earlier, ...pending.map(({ record }) => record)] };
  },
};

/**
 * The messages one transaction has published for the relay of this process, written by the
 * transaction's COMMIT (see CommitWrites in @skald/persistence: no round trip of their own; a
 * savepoint rolled back drops the messages published inside it, as PostgreSQL drops their rows),
 * then handed to the relay, which never publishes a message whose row did not commit.
 */
export const TransactionOutbox = {
  /** Writes `record` with the COMMIT of the transaction under way on `runner`, leased to the local relay for `leaseMs`. */
  add(runner: QueryRunner, record: OutboxRecord, leaseMs: number): void {
    writeWithCommit(runner, OUTBOX_ROWS, { record, leaseMs });
  },

  /** The messages the transaction that just committed on `runner` published, handed over once. */
  takeCommitted(runner: QueryRunner): OutboxRecord[] {
    const records = (runner.data?.[COMMITTED] as OutboxRecord[] | undefined) ?? [];
    if (records.length > 0) runner.data = { ...runner.data, [COMMITTED]: [] };
    return records;
  },
};
