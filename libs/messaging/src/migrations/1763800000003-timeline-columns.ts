import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the saga timeline shows of a handled message: the handler that ran it, the attempt that
 * succeeded, how long its transaction took and the trace it ran under (all null on records
 * written before). A timeline asks for one correlation id among 100,000 sagas' records: B-tree
 * indexes on correlation_id for the inbox and the outbox (one more index on each hot-path insert,
 * the price of answering in milliseconds rather than scanning the tables).
 */
export class TimelineColumns1763800000003 implements MigrationInterface {
  name = 'TimelineColumns1763800000003';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE inbox_message ADD COLUMN handler text, ADD COLUMN attempts integer, ADD COLUMN duration_ms integer, ADD COLUMN trace_id text`,
    );
    await queryRunner.query(`CREATE INDEX inbox_message_correlation_idx ON inbox_message (correlation_id)`);
    await queryRunner.query(`CREATE INDEX outbox_message_correlation_idx ON outbox_message (correlation_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX outbox_message_correlation_idx`);
    await queryRunner.query(`DROP INDEX inbox_message_correlation_idx`);
    await queryRunner.query(`ALTER TABLE inbox_message DROP COLUMN handler, DROP COLUMN attempts, DROP COLUMN duration_ms, DROP COLUMN trace_id`);
  }
}
