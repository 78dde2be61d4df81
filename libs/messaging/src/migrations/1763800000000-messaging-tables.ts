import type { MigrationInterface, QueryRunner } from 'typeorm';
import { PruneIndexes1763800000001 } from './1763800000001-prune-indexes.js';
import { OutboxEnvelopeAsJson1763800000002 } from './1763800000002-outbox-envelope-as-json.js';
import { TimelineColumns1763800000003 } from './1763800000003-timeline-columns.js';
import { DeadLetter1763800000004 } from './1763800000004-dead-letter.js';

/** Outbox and inbox tables, the same in every service database. Never edit: add a migration. */
export class MessagingTables1763800000000 implements MigrationInterface {
  name = 'MessagingTables1763800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE outbox_message (
        id uuid PRIMARY KEY,
        seq bigint GENERATED ALWAYS AS IDENTITY,
        exchange text NOT NULL,
        routing_key text NOT NULL,
        envelope jsonb NOT NULL,
        headers jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        available_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz,
        attempts integer NOT NULL DEFAULT 0,
        last_error text
      )`);
    await queryRunner.query(`CREATE INDEX outbox_message_pending_idx ON outbox_message (seq) WHERE sent_at IS NULL`);
    await queryRunner.query(`CREATE INDEX outbox_message_sent_idx ON outbox_message (sent_at) WHERE sent_at IS NOT NULL`);
    await queryRunner.query(`
      CREATE TABLE inbox_message (
        message_id uuid PRIMARY KEY,
        routing_key text NOT NULL,
        correlation_id text,
        processed_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX inbox_message_processed_idx ON inbox_message (processed_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE inbox_message`);
    await queryRunner.query(`DROP TABLE outbox_message`);
  }
}

/** Every messaging migration, in order; a service lists these before its own. */
export const messagingMigrations: Array<new () => MigrationInterface> = [
  MessagingTables1763800000000,
  PruneIndexes1763800000001,
  OutboxEnvelopeAsJson1763800000002,
  TimelineColumns1763800000003,
  DeadLetter1763800000004,
];
