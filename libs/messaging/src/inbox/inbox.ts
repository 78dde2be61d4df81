import type { MessageEnvelope } from '@skald/contracts';
import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { connectionOf, sendWithCommit, startTransactionWith } from '@skald/persistence';

/** What the inbox record keeps of how a message was handled, for the saga timeline. */
export interface HandlingFacts {
  /** The handler that ran it (`ReservationsHandler.onReserveStock`). */
  handler?: string;
  /** The attempt (1, 2, … on delayed retries). */
  attempt?: number;
  /** The W3C trace id (32 hex) the handler ran under. */
  traceId?: string;
}

/**
 * The idempotent inbox. A handler's effect and the record of the message id commit in one
 * transaction; a redelivered or duplicated message finds the id and has no second effect.
 */
export class Inbox {
  /**
   * Runs `work` in a new transaction that begins with the message's inbox record, committing
   * both together. The transaction start and the record travel in one round trip
   * (`startTransactionWith`): on the consumer's hot path a round trip is a socket write and a
   * wake-up of the database backend per message.
   * A concurrent duplicate blocks on the record's primary key until the first transaction ends.
   * The record keeps `facts` (handler, attempt, trace id) and, set by a statement that travels
   * with the COMMIT, how long the transaction took (the handler's duration).
   * @returns `fresh: false` (nothing run, nothing written) when the message was processed before.
   */
  async within<T>(
    dataSource: DataSource,
    envelope: MessageEnvelope,
    routingKey: string,
    work: (manager: EntityManager) => Promise<T>,
    facts: HandlingFacts = {},
  ): Promise<{ fresh: true; value: T } | { fresh: false }> {
    const runner: QueryRunner = dataSource.createQueryRunner();
    const client = await connectionOf(runner);
    const literal = (value: string | undefined) => (value === undefined ? 'NULL' : client.escapeLiteral(value));
    const attempt = Number.isInteger(facts.attempt) ? String(facts.attempt) : 'NULL';
    try {
      const inserted = await startTransactionWith(
        runner,
        `INSERT INTO inbox_message (message_id, routing_key, correlation_id, handler, attempts, trace_id) VALUES (${[
          envelope.id,
          routingKey,
          envelope.correlationId,
        ]
          .map(literal)
          .join(', ')}, ${literal(facts.handler)}, ${attempt}, ${literal(facts.traceId)}) ON CONFLICT (message_id) DO NOTHING RETURNING message_id`,
      );
      if (inserted.rowCount !== 1) {
        await runner.rollbackTransaction();
        return { fresh: false };
      }
      const value = await work(runner.manager);
      // now() is the transaction's start: the duration is measured by the database at the commit.
      sendWithCommit(
        runner,
        `UPDATE inbox_message SET duration_ms = (extract(epoch FROM clock_timestamp() - now()) * 1000)::integer WHERE message_id = ${literal(envelope.id)}`,
      );
      await runner.commitTransaction();
      return { fresh: true, value };
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw error;
    } finally {
      await runner.release();
    }
  }

  /** Deletes records older than the retention (far beyond any retry or replay window). */
  async prune(manager: EntityManager, retentionMs: number): Promise<void> {
    await manager.query(
      `DELETE FROM inbox_message WHERE message_id IN (
         SELECT message_id FROM inbox_message WHERE processed_at < now() - $1 * interval '1 millisecond' LIMIT 5000)`,
      [retentionMs],
    );
  }
}
