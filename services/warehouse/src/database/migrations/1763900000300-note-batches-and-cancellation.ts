import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Shipment batches and cancellation of outbound notes.
 *
 * - `batch`: a partial order's backordered rest ships as batch 2 from the same warehouse, so a
 *   note is unique per (order, warehouse, batch); existing notes are batch 1.
 * - `cancelled` status with its time, reason and whether picked goods must go back to their
 *   locations (`restock_required`: the note was picking or packed).
 * - `cancelled_order`: the tombstone of an order whose notes were all cancelled; a create
 *   command arriving after it creates nothing.
 */
export class NoteBatchesAndCancellation1763900000300 implements MigrationInterface {
  name = 'NoteBatchesAndCancellation1763900000300';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE outbound_note
        ADD COLUMN batch integer NOT NULL DEFAULT 1 CONSTRAINT outbound_note_batch_ck CHECK (batch >= 1),
        ADD COLUMN cancelled_at timestamptz,
        ADD COLUMN cancel_reason text,
        ADD COLUMN restock_required boolean NOT NULL DEFAULT false`);
    await queryRunner.query(`
      ALTER TABLE outbound_note
        DROP CONSTRAINT outbound_note_order_warehouse_uq,
        ADD CONSTRAINT outbound_note_order_warehouse_batch_uq UNIQUE (order_id, warehouse, batch),
        DROP CONSTRAINT outbound_note_status_ck,
        ADD CONSTRAINT outbound_note_status_ck CHECK (status IN ('created', 'confirmed', 'picking', 'packed', 'shipped', 'cancelled')),
        ADD CONSTRAINT outbound_note_cancelled_ck CHECK ((status = 'cancelled') = (cancelled_at IS NOT NULL AND cancel_reason IS NOT NULL)),
        ADD CONSTRAINT outbound_note_restock_ck CHECK (NOT restock_required OR status = 'cancelled')`);
    await queryRunner.query(`
      CREATE TABLE cancelled_order (
        order_id text PRIMARY KEY,
        tenant_id text,
        reason text NOT NULL,
        cancelled_at timestamptz NOT NULL
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE cancelled_order`);
    // Deletes nothing: with cancelled notes or notes of a later batch in the table, the old
    // constraints cannot come back and the migration fails instead of losing them.
    await queryRunner.query(`
      ALTER TABLE outbound_note
        DROP CONSTRAINT outbound_note_restock_ck,
        DROP CONSTRAINT outbound_note_cancelled_ck,
        DROP CONSTRAINT outbound_note_status_ck,
        ADD CONSTRAINT outbound_note_status_ck CHECK (status IN ('created', 'confirmed', 'picking', 'packed', 'shipped')),
        DROP CONSTRAINT outbound_note_order_warehouse_batch_uq,
        ADD CONSTRAINT outbound_note_order_warehouse_uq UNIQUE (order_id, warehouse)`);
    await queryRunner.query(`
      ALTER TABLE outbound_note
        DROP COLUMN restock_required,
        DROP COLUMN cancel_reason,
        DROP COLUMN cancelled_at,
        DROP COLUMN batch`);
  }
}
