import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Shipments: what left the warehouse with a carrier, and when the carrier delivered it. */
export class Shipments1763900000200 implements MigrationInterface {
  name = 'Shipments1763900000200';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE shipment (
        id uuid PRIMARY KEY,
        note_id uuid NOT NULL REFERENCES outbound_note (id),
        -- Copied from the note (immutable there): a delivery callback needs nothing else.
        order_id text NOT NULL,
        tenant_id text,
        carrier text NOT NULL,
        tracking_number text NOT NULL,
        shipped_at timestamptz NOT NULL,
        delivered_at timestamptz,
        CONSTRAINT shipment_delivered_after_shipped_ck CHECK (delivered_at IS NULL OR delivered_at >= shipped_at)
      )`);
    // One shipment per note until partial shipments exist; then this becomes a plain index.
    await queryRunner.query(`CREATE UNIQUE INDEX shipment_note_uq ON shipment (note_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE shipment`);
  }
}
