import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The relay publishes the envelope exactly as it was written: stored as `json` (the text, checked
 * for syntax) rather than `jsonb` (decomposed on insert, recomposed on read), and read back as
 * text, it costs neither PostgreSQL nor the relay a parse and re-serialisation per message. The
 * `->`/`->>` operators still work for an engineer querying the outbox. The correlation id, needed
 * for the AMQP properties, gets a column of its own.
 */
export class OutboxEnvelopeAsJson1763800000002 implements MigrationInterface {
  name = 'OutboxEnvelopeAsJson1763800000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE outbox_message ADD COLUMN correlation_id text`);
    await queryRunner.query(`UPDATE outbox_message SET correlation_id = envelope->>'correlationId'`);
    await queryRunner.query(`ALTER TABLE outbox_message ALTER COLUMN envelope TYPE json USING envelope::json`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE outbox_message ALTER COLUMN envelope TYPE jsonb USING envelope::jsonb`);
    await queryRunner.query(`ALTER TABLE outbox_message DROP COLUMN correlation_id`);
  }
}
