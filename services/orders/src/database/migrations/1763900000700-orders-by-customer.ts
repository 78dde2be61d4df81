import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The order list filtered by customer (the ops console's customer search), in list order. Never edit: add a migration. */
export class OrdersByCustomer1763900000700 implements MigrationInterface {
  name = 'OrdersByCustomer1763900000700';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX sales_order_customer_list_idx ON sales_order (customer_id, created_at, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX sales_order_customer_list_idx`);
  }
}
