import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A platform's maximum backorder deadline ahead (replica of the gateway's setting; default 90 days). */
export class TenantMaxBackorderDays1763900000400 implements MigrationInterface {
  name = 'TenantMaxBackorderDays1763900000400';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tenant_policy ADD COLUMN max_backorder_days int NOT NULL DEFAULT 90`);
    await q.query(`UPDATE tenant_policy SET max_backorder_days = backorder_days WHERE backorder_days > max_backorder_days`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tenant_policy DROP COLUMN max_backorder_days`);
  }
}
