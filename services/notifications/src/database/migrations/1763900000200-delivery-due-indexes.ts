import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Due deliveries are claimed per channel: with a channel down (SMTP outage, or not configured),
 * its pending rows must not be walked and filtered on every claim of the other channels. The sweep
 * of abandoned last attempts reads `sending` rows only.
 */
export class DeliveryDueIndexes1763900000200 implements MigrationInterface {
  name = 'DeliveryDueIndexes1763900000200';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX delivery_due_idx`);
    await queryRunner.query(`CREATE INDEX delivery_due_by_channel_idx ON delivery (channel, next_attempt_at) WHERE status IN ('pending', 'sending')`);
    await queryRunner.query(`CREATE INDEX delivery_sending_idx ON delivery (next_attempt_at) WHERE status = 'sending'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX delivery_sending_idx`);
    await queryRunner.query(`DROP INDEX delivery_due_by_channel_idx`);
    await queryRunner.query(`CREATE INDEX delivery_due_idx ON delivery (next_attempt_at) WHERE status IN ('pending', 'sending')`);
  }
}
