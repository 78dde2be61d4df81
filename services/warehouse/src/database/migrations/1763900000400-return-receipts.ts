import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Inbound receipts for returns (RMAs): one per return, expected → received → inspected, or
 * cancelled before receipt; what was expected and received per SKU; the inspection's graded
 * lines. A return cancelled before the warehouse heard of it is a row in status `cancelled`
 * without RMA, order or warehouse (its tombstone: a late expect-return opens nothing).
 */
export class ReturnReceipts1763900000400 implements MigrationInterface {
  name = 'ReturnReceipts1763900000400';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE return_receipt (
        return_id uuid PRIMARY KEY,
        rma_number text,
        order_id text,
        tenant_id text,
        warehouse text,
        status text NOT NULL CONSTRAINT return_receipt_status_ck CHECK (status IN ('expected', 'received', 'inspected', 'cancelled')),
        expected_at timestamptz,
        received_at timestamptz,
        inspected_at timestamptz,
        cancelled_at timestamptz,
        cancel_reason text,
        CONSTRAINT return_receipt_expected_ck CHECK (
          (rma_number IS NOT NULL AND order_id IS NOT NULL AND warehouse IS NOT NULL AND expected_at IS NOT NULL)
          OR (status = 'cancelled' AND rma_number IS NULL AND order_id IS NULL AND warehouse IS NULL AND expected_at IS NULL)),
        CONSTRAINT return_receipt_received_ck CHECK ((status IN ('received', 'inspected')) = (received_at IS NOT NULL)),
        CONSTRAINT return_receipt_inspected_ck CHECK ((status = 'inspected') = (inspected_at IS NOT NULL)),
        CONSTRAINT return_receipt_cancelled_ck CHECK ((status = 'cancelled') = (cancelled_at IS NOT NULL AND cancel_reason IS NOT NULL))
      )`);
    // One line per SKU: expected (the RMA's lines added up), received (null until the goods arrive).
    await queryRunner.query(`
      CREATE TABLE return_receipt_line (
        return_id uuid NOT NULL REFERENCES return_receipt (return_id),
        sku text COLLATE "C" NOT NULL,
        expected_quantity integer NOT NULL CONSTRAINT return_receipt_line_expected_ck CHECK (expected_quantity > 0),
        received_quantity integer
          CONSTRAINT return_receipt_line_received_ck CHECK (received_quantity BETWEEN 0 AND expected_quantity),
        PRIMARY KEY (return_id, sku)
      )`);
    // The inspection's lines, as the inspector gave them (an SKU may be split over grades).
    await queryRunner.query(`
      CREATE TABLE return_inspection_line (
        return_id uuid NOT NULL,
        line_no integer NOT NULL,
        sku text COLLATE "C" NOT NULL,
        grade text NOT NULL CONSTRAINT return_inspection_line_grade_ck CHECK (grade IN ('A', 'B', 'C')),
        quantity integer NOT NULL CONSTRAINT return_inspection_line_quantity_ck CHECK (quantity > 0),
        note text,
        PRIMARY KEY (return_id, line_no),
        FOREIGN KEY (return_id, sku) REFERENCES return_receipt_line (return_id, sku)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE return_inspection_line`);
    await queryRunner.query(`DROP TABLE return_receipt_line`);
    await queryRunner.query(`DROP TABLE return_receipt`);
  }
}
