import type { MessageEnvelope } from '@skald/contracts';
import type pg from 'pg';
import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import type { PostgresRunnerInternals } from '../typeorm-internals.js';

/**
 * The idempotent inbox. A handler's effect and the record of the message id commit in one
 * transaction; a redelivered or duplicated message finds the id and has no second effect.
 */
export class Inbox {
  /**
   * Runs `work` in a new transaction that begins with the message's inbox record, committing
   * both together. The transaction start and the record travel in one round trip (one simple
   * query, `START TRANSACTION; INSERT …`): on the consumer's hot path a round trip is a socket
   * write and a wake-up of the database backend per message. The query runner is then marked in
   * a transaction as TypeORM's own `startTransaction` would, so the handler's manager, nested
   * transactions and the commit (with its AfterTransactionCommit event, which the outbox relay
   * listens to) behave as usual. Only the Before/AfterTransactionStart events are not sent.
   * A concurrent duplicate blocks on the record's primary key until the first transaction ends.
   * @returns `fresh: false` (nothing run, nothing written) when the message was processed before.
   */
  async within<T>(dataSource: DataSource, envelope: MessageEnvelope, routingKey: string, work: (manager: EntityManager) => Promise<T>): Promise<{ fresh: true; value: T } | { fresh: false }> {
    const runner: QueryRunner = dataSource.createQueryRunner();
    const client = (await runner.connect()) as pg.ClientBase;
    try {
      const [, inserted] = (await client.query(
        `START TRANSACTION; INSERT INTO inbox_message (message_id, routing_key, correlation_id) VALUES (${[envelope.id, routingKey, envelope.correlationId]
          .map((value) => client.escapeLiteral(value))
          .join(', ')}) ON CONFLICT (message_id) DO NOTHING RETURNING message_id`,
      )) as unknown as [pg.QueryResult, pg.QueryResult];
      const state = runner as unknown as PostgresRunnerInternals;
      state.isTransactionActive = true;
      state.transactionDepth = 1;
      if (inserted.rowCount !== 1) {
        await runner.rollbackTransaction();
        return { fresh: false };
      }
      const value = await work(runner.manager);
      await runner.commitTransaction();
      return { fresh: true, value };
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      else await client.query('ROLLBACK').catch(() => undefined);
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
