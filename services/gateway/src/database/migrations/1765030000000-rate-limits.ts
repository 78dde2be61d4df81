import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Rate limits (ADR 13): the counters every gateway replica shares, and a platform's own limit.
 * The counter table has the layout rate-limiter-flexible's RateLimiterPostgres expects; it is
 * created here, not by the library at run time, so that no DDL runs outside migrations.
 */
export class RateLimits1765030000000 implements MigrationInterface {
  name = 'RateLimits1765030000000';

  async up(q: QueryRunner): Promise<void> {
    // `expire` is epoch milliseconds (the library's clock); a row past it is a fresh window.
    await q.query(`
      CREATE TABLE rate_limit (
        key varchar(255) PRIMARY KEY,
        points integer NOT NULL DEFAULT 0,
        expire bigint
      )`);
    await q.query(`
      ALTER TABLE platform
        ADD COLUMN rate_limit_per_second int CHECK (rate_limit_per_second BETWEEN 1 AND 1000000)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE platform DROP COLUMN rate_limit_per_second`);
    await q.query(`DROP TABLE rate_limit`);
  }
}
