import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Returned goods booked by grade: a quarantined part of on-hand stock (damaged returns: on hand,
 * never available), the ledger kinds of returns with the quarantined deltas and the units written
 * off, and one booking per return. Never edit: add a migration.
 */
export class InventoryReturnedStock1763900000003 implements MigrationInterface {
  name = 'InventoryReturnedStock1763900000003';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Available is on_hand - reserved - quarantined: reservations never take quarantined units,
    // and the CHECK keeps it from going below zero as before.
    await queryRunner.query(`
      ALTER TABLE stock_level
        ADD COLUMN quarantined integer NOT NULL DEFAULT 0,
        DROP CONSTRAINT stock_level_quantities_check,
        ADD CONSTRAINT stock_level_quantities_check CHECK (0 <= reserved AND 0 <= quarantined AND reserved + quarantined <= on_hand)`);

    // written_off: the units a return_written_off entry records (scrap: no level changes).
    await queryRunner.query(`
      ALTER TABLE stock_movement
        ADD COLUMN quarantined_delta integer NOT NULL DEFAULT 0,
        ADD COLUMN quarantined_after integer NOT NULL DEFAULT 0,
        ADD COLUMN written_off integer NOT NULL DEFAULT 0,
        DROP CONSTRAINT stock_movement_kind_check,
        ADD CONSTRAINT stock_movement_kind_check CHECK (kind IN ('receipt', 'reserve', 'ship', 'release', 'return_restocked', 'return_quarantined', 'return_written_off')),
        DROP CONSTRAINT stock_movement_delta_check,
        ADD CONSTRAINT stock_movement_delta_check CHECK (on_hand_delta <> 0 OR reserved_delta <> 0 OR quarantined_delta <> 0 OR written_off > 0),
        ADD CONSTRAINT stock_movement_written_off_check CHECK ((kind = 'return_written_off') = (written_off > 0))`);

    // One decision per return: a re-sent command gets it again (booked, or refused) and changes nothing.
    await queryRunner.query(`
      CREATE TABLE returned_stock_booking (
        return_id uuid PRIMARY KEY,
        rma_number text NOT NULL,
        order_id text NOT NULL,
        tenant_id text,
        warehouse text NOT NULL,
        lines jsonb NOT NULL,
        outcome text NOT NULL CONSTRAINT returned_stock_booking_outcome_check CHECK (outcome IN ('booked', 'refused')),
        code text,
        reason text,
        decided_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT returned_stock_booking_refusal_check CHECK ((outcome = 'refused') = (code IS NOT NULL AND reason IS NOT NULL))
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE returned_stock_booking`);
    // Fails while return entries or quarantined stock exist, instead of losing them.
    await queryRunner.query(`
      ALTER TABLE stock_movement
        DROP CONSTRAINT stock_movement_written_off_check,
        DROP CONSTRAINT stock_movement_delta_check,
        ADD CONSTRAINT stock_movement_delta_check CHECK (on_hand_delta <> 0 OR reserved_delta <> 0),
        DROP CONSTRAINT stock_movement_kind_check,
        ADD CONSTRAINT stock_movement_kind_check CHECK (kind IN ('receipt', 'reserve', 'ship', 'release')),
        DROP COLUMN written_off,
        DROP COLUMN quarantined_after,
        DROP COLUMN quarantined_delta`);
    await queryRunner.query(`
      ALTER TABLE stock_level
        DROP CONSTRAINT stock_level_quantities_check,
        ADD CONSTRAINT stock_level_quantities_check CHECK (0 <= reserved AND reserved <= on_hand),
        DROP COLUMN quarantined`);
  }
}
