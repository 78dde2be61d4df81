import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The service's record of its dead letters, for on-call: why each message was dead-lettered, what
 * became of it (`dead`, `replayed`, `discarded`) and who acted on it, when and why. The message
 * itself (headers, body) stays on the broker's dead-letter queue, the only place it is replayed
 * from; the record keeps no payload, so no payload field ends up in another table.
 */
export class DeadLetter1763800000004 implements MigrationInterface {
  name = 'DeadLetter1763800000004';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE dead_letter (
        message_id text PRIMARY KEY,
        routing_key text NOT NULL,
        correlation_id text,
        tenant_id text,
        reason text NOT NULL,
        error text NOT NULL DEFAULT '',
        attempts integer NOT NULL,
        dead_lettered_at timestamptz NOT NULL,
        trace_id text,
        status text NOT NULL DEFAULT 'dead' CHECK (status IN ('dead', 'replayed', 'discarded')),
        status_changed_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX dead_letter_correlation_idx ON dead_letter (correlation_id)`);
    await queryRunner.query(`CREATE INDEX dead_letter_dead_idx ON dead_letter (dead_lettered_at) WHERE status = 'dead'`);
    await queryRunner.query(`
      CREATE TABLE dead_letter_action (
        id bigserial PRIMARY KEY,
        message_id text NOT NULL REFERENCES dead_letter (message_id) ON DELETE CASCADE,
        action text NOT NULL CHECK (action IN ('replayed', 'discarded')),
        actor text NOT NULL,
        reason text,
        acted_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX dead_letter_action_message_idx ON dead_letter_action (message_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE dead_letter_action`);
    await queryRunner.query(`DROP TABLE dead_letter`);
  }
}
