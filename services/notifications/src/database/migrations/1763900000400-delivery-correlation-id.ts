import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A delivery keeps the correlation id (the saga) of the message that caused it, so the saga
 * timeline lists the e-mails, SMS and webhooks of an order or a return (a return's notices carry
 * the order id in order_id, but belong to the return's saga). Earlier deliveries get it from the
 * inbox record of their source message, where it is still kept.
 */
export class DeliveryCorrelationId1763900000400 implements MigrationInterface {
  name = 'DeliveryCorrelationId1763900000400';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE delivery ADD COLUMN correlation_id text`);
    await queryRunner.query(
      `UPDATE delivery d SET correlation_id = i.correlation_id FROM inbox_message i WHERE i.message_id = d.source_message_id`,
    );
    await queryRunner.query(`CREATE INDEX delivery_correlation_idx ON delivery (correlation_id) WHERE correlation_id IS NOT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX delivery_correlation_idx`);
    await queryRunner.query(`ALTER TABLE delivery DROP COLUMN correlation_id`);
  }
}
