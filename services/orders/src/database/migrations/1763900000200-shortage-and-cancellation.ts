import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Stock shortage and cancellation: an order's shortage policy (and the platform default it falls
 * back on), cancelled quantities per line (a partial order's cancelled rest), reservation and
 * outbound note batches (a partial order's backordered rest ships as batch 2) and whether a
 * replica reservation was released.
 */
export class ShortageAndCancellation1763900000200 implements MigrationInterface {
  name = 'ShortageAndCancellation1763900000200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE sales_order ADD COLUMN shortage_policy jsonb`);
    await q.query(`
      ALTER TABLE tenant_policy
        ADD COLUMN shortage_mode text NOT NULL DEFAULT 'reject' CHECK (shortage_mode IN ('reject', 'backorder', 'partial')),
        ADD COLUMN backorder_days int NOT NULL DEFAULT 14 CHECK (backorder_days BETWEEN 1 AND 365),
        ADD COLUMN partial_remainder text NOT NULL DEFAULT 'backorder' CHECK (partial_remainder IN ('backorder', 'cancel'))`);
    await q.query(`
      ALTER TABLE order_line
        ADD COLUMN cancelled_quantity int NOT NULL DEFAULT 0,
        ADD CONSTRAINT order_line_cancelled_quantity_check CHECK (cancelled_quantity BETWEEN 0 AND quantity)`);
    await q.query(`
      ALTER TABLE order_reservation
        ADD COLUMN batch int NOT NULL DEFAULT 1 CHECK (batch >= 1),
        ADD COLUMN released boolean NOT NULL DEFAULT false`);
    await q.query(`ALTER TABLE order_outbound_note ADD COLUMN batch int NOT NULL DEFAULT 1 CHECK (batch >= 1)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE order_outbound_note DROP COLUMN batch`);
    await q.query(`ALTER TABLE order_reservation DROP COLUMN released, DROP COLUMN batch`);
    await q.query(`ALTER TABLE order_line DROP CONSTRAINT order_line_cancelled_quantity_check, DROP COLUMN cancelled_quantity`);
    await q.query(`ALTER TABLE tenant_policy DROP COLUMN partial_remainder, DROP COLUMN backorder_days, DROP COLUMN shortage_mode`);
    await q.query(`ALTER TABLE sales_order DROP COLUMN shortage_policy`);
  }
}
