import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The order list at scale (issue #13: a million orders, p99 under 50 ms). The list is ordered by
 * (created_at, id) and pages by that key (keyset: `(created_at, id) > cursor`); every filter the
 * API takes needs an index that ends in that key, or PostgreSQL sorts all matching rows (staff's
 * unfiltered list: the whole table) or walks a platform's orders for a rare status:
 *   - staff, no filter:        (created_at, id)
 *   - staff, status:           (status, created_at, id) — replaces (status), which it covers
 *   - platform, status:        (tenant_id, status, created_at, id)
 * (platform without a status: sales_order_list_idx; by customer: sales_order_customer_list_idx).
 * Built in the migration's transaction like every other index here: on a million orders each
 * takes a few seconds during which order writes wait. Never edit: add a migration.
 */
export class OrderListIndexes1765200000000 implements MigrationInterface {
  name = 'OrderListIndexes1765200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX sales_order_created_idx ON sales_order (created_at, id)`);
    await q.query(`CREATE INDEX sales_order_status_list_idx ON sales_order (status, created_at, id)`);
    await q.query(`CREATE INDEX sales_order_tenant_status_list_idx ON sales_order (tenant_id, status, created_at, id)`);
    await q.query(`DROP INDEX sales_order_status_idx`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX sales_order_status_idx ON sales_order (status)`);
    await q.query(`DROP INDEX sales_order_tenant_status_list_idx`);
    await q.query(`DROP INDEX sales_order_status_list_idx`);
    await q.query(`DROP INDEX sales_order_created_idx`);
  }
}
