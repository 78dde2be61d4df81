import type { MigrationInterface, QueryRunner } from 'typeorm';

/** How far ahead an order's own backorder deadline may be, per platform (default 90 days). */
export class PlatformMaxBackorderDays1763900000300 implements MigrationInterface {
  name = 'PlatformMaxBackorderDays1763900000300';

  async up(q: QueryRunner): Promise<void> {
    // Existing platforms get at least their own backorder days, so their default deadline stays allowed.
    await q.query(`ALTER TABLE platform ADD COLUMN max_backorder_days int NOT NULL DEFAULT 90 CHECK (max_backorder_days BETWEEN 1 AND 365)`);
    await q.query(`UPDATE platform SET max_backorder_days = backorder_days WHERE backorder_days > max_backorder_days`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE platform DROP COLUMN max_backorder_days`);
  }
}
