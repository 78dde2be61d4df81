import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Platforms (tenants), API keys, idempotency records and webhook subscriptions. */
export class GatewayTables1763900000100 implements MigrationInterface {
  name = 'GatewayTables1763900000100';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE platform (
        id uuid PRIMARY KEY,
        name text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
        price_tolerance_pct numeric(5,2) NOT NULL CHECK (price_tolerance_pct BETWEEN 0 AND 100),
        review_amount_threshold numeric(14,4) NOT NULL CHECK (review_amount_threshold >= 0),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    // The key's secret is never stored, only its SHA-256; a platform key belongs to exactly one
    // platform and has no roles, a staff key has at least one role and no platform.
    await queryRunner.query(`
      CREATE TABLE api_key (
        id text PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN ('platform', 'staff')),
        tenant_id uuid REFERENCES platform (id),
        roles text[] NOT NULL DEFAULT '{}',
        secret_hash bytea NOT NULL CHECK (length(secret_hash) = 32),
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz,
        revoked_at timestamptz,
        CONSTRAINT api_key_kind_owner CHECK (
          (kind = 'platform' AND tenant_id IS NOT NULL AND cardinality(roles) = 0)
          OR (kind = 'staff' AND tenant_id IS NULL AND cardinality(roles) > 0)
        )
      )`);
    await queryRunner.query(`CREATE INDEX api_key_tenant_idx ON api_key (tenant_id) WHERE tenant_id IS NOT NULL`);
    await queryRunner.query(`
      CREATE TABLE idempotency_record (
        id uuid PRIMARY KEY,
        scope text NOT NULL,
        key text NOT NULL,
        method text NOT NULL,
        path text NOT NULL,
        fingerprint text NOT NULL,
        status text NOT NULL CHECK (status IN ('in_progress', 'completed')),
        lock_token uuid NOT NULL,
        response_status integer,
        response_headers jsonb,
        response_body text,
        created_at timestamptz NOT NULL DEFAULT now(),
        locked_at timestamptz NOT NULL DEFAULT now(),
        completed_at timestamptz,
        expires_at timestamptz NOT NULL,
        CONSTRAINT idempotency_record_scope_key UNIQUE (scope, key),
        CONSTRAINT idempotency_record_completed CHECK (status = 'in_progress' OR response_status IS NOT NULL)
      )`);
    await queryRunner.query(`CREATE INDEX idempotency_record_expires_idx ON idempotency_record (expires_at)`);
    await queryRunner.query(`
      CREATE TABLE webhook_subscription (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES platform (id),
        url text NOT NULL,
        events text[] NOT NULL CHECK (cardinality(events) > 0),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX webhook_subscription_tenant_idx ON webhook_subscription (tenant_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE webhook_subscription`);
    await queryRunner.query(`DROP TABLE idempotency_record`);
    await queryRunner.query(`DROP TABLE api_key`);
    await queryRunner.query(`DROP TABLE platform`);
  }
}
