import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The order saga moves onto the shared saga mechanism (libs/saga): its row lives in `saga` (the
 * same table every service running a saga has, with the saga's `type`), its step log stays in
 * `saga_step`. Rows are kept: sagas in flight go on where they were. Never edit: add a migration.
 */
export class OrderSagaOnSagaTables1763900000500 implements MigrationInterface {
  name = 'OrderSagaOnSagaTables1763900000500';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE order_saga RENAME TO saga`);
    await q.query(`ALTER TABLE saga RENAME COLUMN order_id TO id`);
    await q.query(`ALTER INDEX order_saga_pkey RENAME TO saga_pkey`);
    await q.query(`ALTER TABLE saga RENAME CONSTRAINT order_saga_order_id_fkey TO saga_order_fkey`);
    await q.query(`ALTER TABLE saga ADD COLUMN type text NOT NULL DEFAULT 'order'`);
    await q.query(`ALTER TABLE saga ALTER COLUMN type DROP DEFAULT`);
    await q.query(`DROP INDEX order_saga_deadline_idx`);
    await q.query(`CREATE INDEX saga_deadline_idx ON saga (type, deadline_at) WHERE deadline_at IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX saga_deadline_idx`);
    await q.query(`CREATE INDEX order_saga_deadline_idx ON saga (deadline_at) WHERE deadline_at IS NOT NULL`);
    await q.query(`ALTER TABLE saga DROP COLUMN type`);
    await q.query(`ALTER TABLE saga RENAME CONSTRAINT saga_order_fkey TO order_saga_order_id_fkey`);
    await q.query(`ALTER INDEX saga_pkey RENAME TO order_saga_pkey`);
    await q.query(`ALTER TABLE saga RENAME COLUMN id TO order_id`);
    await q.query(`ALTER TABLE saga RENAME TO order_saga`);
  }
}
