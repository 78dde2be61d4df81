import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sent outbox rows and inbox records are pruned by age. BRIN indexes on their time columns (rows
 * arrive in time order) serve that at a fraction of a B-tree's write cost on the hot path; the
 * B-tree on sent_at made every "mark sent" update maintain one more index.
 */
export class PruneIndexes1763800000001 implements MigrationInterface {
  name = 'PruneIndexes1763800000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX outbox_message_sent_idx`);
    await queryRunner.query(`CREATE INDEX outbox_message_created_brin ON outbox_message USING brin (created_at)`);
    await queryRunner.query(`DROP INDEX inbox_message_processed_idx`);
    await queryRunner.query(`CREATE INDEX inbox_message_processed_brin ON inbox_message USING brin (processed_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX inbox_message_processed_brin`);
    await queryRunner.query(`CREATE INDEX inbox_message_processed_idx ON inbox_message (processed_at)`);
    await queryRunner.query(`DROP INDEX outbox_message_created_brin`);
    await queryRunner.query(`CREATE INDEX outbox_message_sent_idx ON outbox_message (sent_at) WHERE sent_at IS NOT NULL`);
  }
}
