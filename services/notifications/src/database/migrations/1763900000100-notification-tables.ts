import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Webhook subscriptions (replica of the gateway's), deliveries and their attempts. Never edit: add a migration. */
export class NotificationTables1763900000100 implements MigrationInterface {
  name = 'NotificationTables1763900000100';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE webhook_subscription (
        id text PRIMARY KEY,
        tenant_id text NOT NULL,
        url text NOT NULL,
        events text[] NOT NULL CHECK (cardinality(events) > 0),
        secret text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX webhook_subscription_tenant_idx ON webhook_subscription (tenant_id)`);

    // One row per message to send. The unique key makes planning idempotent: the same source message
    // (a redelivery, a replay from the dead-letter queue) can never produce a second delivery.
    // "topic" tells apart several deliveries of one message to one target (outbound notes: the note id).
    await queryRunner.query(`
      CREATE TABLE delivery (
        id uuid PRIMARY KEY,
        source_message_id uuid NOT NULL,
        channel text NOT NULL CHECK (channel IN ('email', 'sms', 'webhook')),
        target text NOT NULL CHECK (target <> ''),
        topic text NOT NULL DEFAULT '',
        tenant_id text,
        order_id text,
        payload jsonb NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
        attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        next_attempt_at timestamptz DEFAULT now(),
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz,
        CONSTRAINT delivery_once UNIQUE (source_message_id, channel, target, topic),
        CONSTRAINT delivery_scheduled_while_open CHECK ((status IN ('pending', 'sending')) = (next_attempt_at IS NOT NULL)),
        CONSTRAINT delivery_sent_at_when_sent CHECK ((status = 'sent') = (sent_at IS NOT NULL))
      )`);
    await queryRunner.query(
      `CREATE INDEX delivery_due_idx ON delivery (next_attempt_at) WHERE status IN ('pending', 'sending')`,
    );
    await queryRunner.query(`CREATE INDEX delivery_created_idx ON delivery (created_at DESC, id DESC)`);
    await queryRunner.query(
      `CREATE INDEX delivery_order_idx ON delivery (order_id, created_at DESC, id DESC) WHERE order_id IS NOT NULL`,
    );

    await queryRunner.query(`
      CREATE TABLE delivery_attempt (
        delivery_id uuid NOT NULL REFERENCES delivery (id) ON DELETE CASCADE,
        attempt integer NOT NULL CHECK (attempt >= 1),
        at timestamptz NOT NULL,
        duration_ms integer,
        outcome text NOT NULL CHECK (outcome IN ('sent', 'failed', 'rejected', 'expired')),
        detail text,
        retry_at timestamptz,
        PRIMARY KEY (delivery_id, attempt)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE delivery_attempt`);
    await queryRunner.query(`DROP TABLE delivery`);
    await queryRunner.query(`DROP TABLE webhook_subscription`);
  }
}
