import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Catalog, warehouses, stock per warehouse, receipts, reservations, shipments and the stock
 * movement ledger. Never edit: add a migration.
 *
 * SKU and warehouse codes use the "C" collation: rows are locked in (sku, warehouse) order to
 * avoid deadlocks, and that order must be the same whether PostgreSQL sorts (ORDER BY … FOR
 * UPDATE) or the service does (JavaScript compares UTF-16 code units, which for these ASCII
 * identifiers is byte order).
 */
export class InventorySchema1763900000001 implements MigrationInterface {
  name = 'InventorySchema1763900000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE catalog_item (
        sku varchar(64) COLLATE "C" PRIMARY KEY,
        name varchar(200) NOT NULL,
        list_price numeric(14,4) NOT NULL CONSTRAINT catalog_item_list_price_check CHECK (list_price >= 0),
        currency char(3) NOT NULL CONSTRAINT catalog_item_currency_check CHECK (currency ~ '^[A-Z]{3}$'),
        sellable boolean NOT NULL,
        returnable boolean NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);

    await queryRunner.query(`
      CREATE TABLE warehouse (
        code varchar(64) COLLATE "C" PRIMARY KEY,
        name varchar(200),
        priority integer NOT NULL CONSTRAINT warehouse_priority_check CHECK (priority >= 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);

    // The CHECK is the last line of defence against overselling: the handlers lock these rows
    // and never compute a negative availability, but a bug must fail its transaction, not sell
    // the same unit twice.
    await queryRunner.query(`
      CREATE TABLE stock_level (
        sku varchar(64) COLLATE "C" NOT NULL REFERENCES catalog_item (sku),
        warehouse varchar(64) COLLATE "C" NOT NULL REFERENCES warehouse (code),
        on_hand integer NOT NULL DEFAULT 0,
        reserved integer NOT NULL DEFAULT 0,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (sku, warehouse),
        CONSTRAINT stock_level_quantities_check CHECK (0 <= reserved AND reserved <= on_hand)
      )`);

    await queryRunner.query(`
      CREATE TABLE stock_movement (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT now(),
        sku varchar(64) COLLATE "C" NOT NULL,
        warehouse varchar(64) COLLATE "C" NOT NULL,
        kind text NOT NULL CONSTRAINT stock_movement_kind_check CHECK (kind IN ('receipt', 'reserve', 'ship', 'release')),
        on_hand_delta integer NOT NULL,
        reserved_delta integer NOT NULL,
        on_hand_after integer NOT NULL,
        reserved_after integer NOT NULL,
        order_id text,
        reference text,
        FOREIGN KEY (sku, warehouse) REFERENCES stock_level (sku, warehouse),
        CONSTRAINT stock_movement_delta_check CHECK (on_hand_delta <> 0 OR reserved_delta <> 0)
      )`);
    await queryRunner.query(`CREATE INDEX stock_movement_sku_idx ON stock_movement (sku, id)`);

    await queryRunner.query(`
      CREATE TABLE stock_receipt (
        id uuid PRIMARY KEY,
        warehouse varchar(64) COLLATE "C" NOT NULL REFERENCES warehouse (code),
        reference varchar(200),
        received_by text NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE stock_receipt_line (
        receipt_id uuid NOT NULL REFERENCES stock_receipt (id),
        line_no integer NOT NULL,
        sku varchar(64) COLLATE "C" NOT NULL REFERENCES catalog_item (sku),
        quantity integer NOT NULL CONSTRAINT stock_receipt_line_quantity_check CHECK (quantity > 0),
        PRIMARY KEY (receipt_id, line_no)
      )`);

    // One row per order that asked for stock: the decision (reserved or rejected) a re-sent
    // command gets again instead of a second evaluation.
    await queryRunner.query(`
      CREATE TABLE reservation_request (
        order_id text PRIMARY KEY,
        tenant_id text,
        lines jsonb NOT NULL,
        outcome text NOT NULL CONSTRAINT reservation_request_outcome_check CHECK (outcome IN ('reserved', 'rejected')),
        reason text,
        shortages jsonb,
        requested_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT reservation_request_reason_check CHECK ((outcome = 'rejected') = (reason IS NOT NULL))
      )`);

    // Active reservations are what stock_level.reserved counts; consumed and released ones are
    // history. A partly shipped reservation is split (split_from) so quantities never change
    // meaning after the fact.
    await queryRunner.query(`
      CREATE TABLE reservation (
        id uuid PRIMARY KEY,
        order_id text NOT NULL REFERENCES reservation_request (order_id),
        tenant_id text,
        sku varchar(64) COLLATE "C" NOT NULL,
        warehouse varchar(64) COLLATE "C" NOT NULL,
        quantity integer NOT NULL CONSTRAINT reservation_quantity_check CHECK (quantity > 0),
        status text NOT NULL DEFAULT 'active'
          CONSTRAINT reservation_status_check CHECK (status IN ('active', 'consumed', 'released')),
        split_from uuid REFERENCES reservation (id),
        settled_reference text,
        created_at timestamptz NOT NULL DEFAULT now(),
        settled_at timestamptz,
        FOREIGN KEY (sku, warehouse) REFERENCES stock_level (sku, warehouse),
        CONSTRAINT reservation_settled_check CHECK ((status = 'active') = (settled_at IS NULL))
      )`);
    await queryRunner.query(`CREATE INDEX reservation_order_idx ON reservation (order_id, warehouse, sku)`);

    // Outbound notes whose shipment was applied to stock: a redelivered event finds its note here.
    await queryRunner.query(`
      CREATE TABLE stock_shipment (
        note_id text PRIMARY KEY,
        order_id text NOT NULL,
        warehouse text NOT NULL,
        shipment_id text NOT NULL,
        shipped_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'stock_shipment',
      'reservation',
      'reservation_request',
      'stock_receipt_line',
      'stock_receipt',
      'stock_movement',
      'stock_level',
      'warehouse',
      'catalog_item',
    ]) {
      await queryRunner.query(`DROP TABLE ${table}`);
    }
  }
}
