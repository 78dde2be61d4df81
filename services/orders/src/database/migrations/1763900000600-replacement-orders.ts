import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A replacement order (an exchange of returned goods) names the return it replaces. Never edit: add a migration. */
export class ReplacementOrders1763900000600 implements MigrationInterface {
  name = 'ReplacementOrders1763900000600';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE sales_order ADD COLUMN replacement_for jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE sales_order DROP COLUMN replacement_for`);
  }
}
