import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Outbound notes (出库单), one per order and warehouse, and their lines. */
export class OutboundNotes1763900000100 implements MigrationInterface {
  name = 'OutboundNotes1763900000100';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE outbound_note (
        id uuid PRIMARY KEY,
        -- Creation order: the list's sort key and pagination cursor.
        seq bigint GENERATED ALWAYS AS IDENTITY,
        order_id text NOT NULL,
        external_id text NOT NULL,
        tenant_id text,
        warehouse text NOT NULL,
        status text NOT NULL,
        recipient_name text NOT NULL,
        ship_to jsonb NOT NULL,
        created_at timestamptz NOT NULL,
        confirmed_at timestamptz,
        picking_at timestamptz,
        packed_at timestamptz,
        shipped_at timestamptz,
        CONSTRAINT outbound_note_seq_uq UNIQUE (seq),
        -- A re-sent create command finds the note it made before.
        CONSTRAINT outbound_note_order_warehouse_uq UNIQUE (order_id, warehouse),
        CONSTRAINT outbound_note_status_ck CHECK (status IN ('created', 'confirmed', 'picking', 'packed', 'shipped'))
      )`);
    await queryRunner.query(`CREATE INDEX outbound_note_status_idx ON outbound_note (status, seq)`);
    await queryRunner.query(`CREATE INDEX outbound_note_warehouse_idx ON outbound_note (warehouse, status, seq)`);
    await queryRunner.query(`
      CREATE TABLE outbound_note_line (
        note_id uuid NOT NULL REFERENCES outbound_note (id) ON DELETE CASCADE,
        line_no integer NOT NULL,
        sku text NOT NULL,
        quantity integer NOT NULL CONSTRAINT outbound_note_line_quantity_ck CHECK (quantity > 0),
        PRIMARY KEY (note_id, line_no)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE outbound_note_line`);
    await queryRunner.query(`DROP TABLE outbound_note`);
  }
}
