import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The idempotency keys a service's state-changing routes have answered (see IdempotentRequests),
 * the same table in every service database that has such routes. A row is written in the same
 * transaction as the route's effect, so its status and response are set in every committed row.
 * Never edit: add a migration.
 */
export class IdempotentRequest1763800000100 implements MigrationInterface {
  name = 'IdempotentRequest1763800000100';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE idempotent_request (
        key text PRIMARY KEY,
        route text NOT NULL,
        request_hash text NOT NULL,
        status_code integer,
        response jsonb,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    // Rows arrive in time order and are pruned by age: a BRIN index serves that at almost no write cost.
    await queryRunner.query(`CREATE INDEX idempotent_request_created_brin ON idempotent_request USING brin (created_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE idempotent_request`);
  }
}

/** The migrations of idempotent requests, in order; a service with state-changing routes lists them after the messaging ones. */
export const idempotentRequestMigrations: Array<new () => MigrationInterface> = [IdempotentRequest1763800000100];
