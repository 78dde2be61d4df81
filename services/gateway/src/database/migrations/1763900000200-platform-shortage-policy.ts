import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A platform's default stock shortage policy, for its orders that carry none. */
export class PlatformShortagePolicy1763900000200 implements MigrationInterface {
  name = 'PlatformShortagePolicy1763900000200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE platform
        ADD COLUMN shortage_mode text NOT NULL DEFAULT 'reject' CHECK (shortage_mode IN ('reject', 'backorder', 'partial')),
        ADD COLUMN backorder_days int NOT NULL DEFAULT 14 CHECK (backorder_days BETWEEN 1 AND 365),
        ADD COLUMN partial_remainder text NOT NULL DEFAULT 'backorder' CHECK (partial_remainder IN ('backorder', 'cancel'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE platform DROP COLUMN partial_remainder, DROP COLUMN backorder_days, DROP COLUMN shortage_mode`);
  }
}
