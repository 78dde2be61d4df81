import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Stock shortage, cancellation and expiry: reservation attempts and modes, backorders waiting for
 * receipts, releases (with a tombstone for orders released as a whole), reservation holds, and
 * low-stock thresholds. Never edit: add a migration.
 */
export class InventoryShortageReleaseExpiry1763900000002 implements MigrationInterface {
  name = 'InventoryShortageReleaseExpiry1763900000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    // One decision per (order, attempt): a saga re-reserving after an expiry sends attempt 2,
    // which is decided anew, while a re-sent attempt 1 still gets the first decision.
    await queryRunner.query(`ALTER TABLE reservation DROP CONSTRAINT reservation_order_id_fkey`);
    await queryRunner.query(`ALTER TABLE reservation_request DROP CONSTRAINT reservation_request_pkey`);
    await queryRunner.query(`
      ALTER TABLE reservation_request
        ADD COLUMN attempt integer NOT NULL DEFAULT 1 CONSTRAINT reservation_request_attempt_check CHECK (attempt >= 1),
        ADD COLUMN on_shortage text NOT NULL DEFAULT 'reject'
          CONSTRAINT reservation_request_on_shortage_check CHECK (on_shortage IN ('reject', 'backorder', 'take_available')),
        ADD COLUMN correlation_id text,
        ADD COLUMN hold_until timestamptz,
        ADD COLUMN unavailable jsonb,
        ADD PRIMARY KEY (order_id, attempt)`);

    // expires_at: until when the reservation is held (NULL: pinned, its outbound note was
    // confirmed). expiry_notified_at: the sweeper told the saga once; it never tells again.
    await queryRunner.query(`
      ALTER TABLE reservation
        ADD COLUMN attempt integer NOT NULL DEFAULT 1,
        ADD COLUMN expires_at timestamptz,
        ADD COLUMN expiry_notified_at timestamptz,
        ADD CONSTRAINT reservation_request_fkey FOREIGN KEY (order_id, attempt) REFERENCES reservation_request (order_id, attempt)`);
    // The sweeper's claim: active, held, not yet notified, oldest hold first.
    await queryRunner.query(`
      CREATE INDEX reservation_expiry_idx ON reservation (expires_at)
       WHERE status = 'active' AND expiry_notified_at IS NULL AND expires_at IS NOT NULL`);

    // The part of an order's line that waits for stock (reserve with onShortage = backorder).
    // The identity is the queue: receipts and releases allocate to the lowest ids first.
    await queryRunner.query(`
      CREATE TABLE backorder_line (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        order_id text NOT NULL,
        attempt integer NOT NULL,
        tenant_id text,
        sku varchar(64) COLLATE "C" NOT NULL REFERENCES catalog_item (sku),
        quantity integer NOT NULL CONSTRAINT backorder_line_quantity_check CHECK (quantity > 0),
        allocated integer NOT NULL DEFAULT 0,
        status text NOT NULL DEFAULT 'waiting'
          CONSTRAINT backorder_line_status_check CHECK (status IN ('waiting', 'filled', 'ended')),
        queued_at timestamptz NOT NULL DEFAULT now(),
        settled_at timestamptz,
        settled_reference text,
        FOREIGN KEY (order_id, attempt) REFERENCES reservation_request (order_id, attempt),
        CONSTRAINT backorder_line_order_sku_key UNIQUE (order_id, attempt, sku),
        CONSTRAINT backorder_line_allocated_check CHECK (0 <= allocated AND allocated <= quantity),
        CONSTRAINT backorder_line_filled_check CHECK ((status = 'filled') = (allocated = quantity)),
        CONSTRAINT backorder_line_settled_check CHECK ((status = 'waiting') = (settled_at IS NULL))
      )`);
    await queryRunner.query(`CREATE INDEX backorder_line_queue_idx ON backorder_line (sku, id) WHERE status = 'waiting'`);

    // Orders released as a whole: a reserve command that arrives after the release (the saga
    // cancelled while it was in flight, or it was retried) reserves nothing.
    await queryRunner.query(`
      CREATE TABLE released_order (
        order_id text PRIMARY KEY,
        tenant_id text,
        reason text NOT NULL,
        released_at timestamptz NOT NULL DEFAULT now()
      )`);

    // Why a movement happened beyond its document (a release's cancellation reason).
    await queryRunner.query(`ALTER TABLE stock_movement ADD COLUMN reason text`);

    // Replenishment alerts: a movement taking available stock from >= threshold to below it.
    await queryRunner.query(`
      CREATE TABLE low_stock_threshold (
        sku varchar(64) COLLATE "C" NOT NULL REFERENCES catalog_item (sku),
        warehouse varchar(64) COLLATE "C" NOT NULL REFERENCES warehouse (code),
        threshold integer NOT NULL CONSTRAINT low_stock_threshold_check CHECK (threshold >= 0),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (sku, warehouse)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE low_stock_threshold`);
    await queryRunner.query(`ALTER TABLE stock_movement DROP COLUMN reason`);
    await queryRunner.query(`DROP TABLE released_order`);
    await queryRunner.query(`DROP TABLE backorder_line`);
    await queryRunner.query(`DROP INDEX reservation_expiry_idx`);
    await queryRunner.query(`
      ALTER TABLE reservation
        DROP CONSTRAINT reservation_request_fkey,
        DROP COLUMN expiry_notified_at,
        DROP COLUMN expires_at,
        DROP COLUMN attempt`);
    // Only attempt 1 fits the old key; later attempts' decisions cannot be kept.
    await queryRunner.query(`DELETE FROM reservation_request WHERE attempt > 1`);
    await queryRunner.query(`
      ALTER TABLE reservation_request
        DROP CONSTRAINT reservation_request_pkey,
        DROP COLUMN unavailable,
        DROP COLUMN hold_until,
        DROP COLUMN correlation_id,
        DROP COLUMN on_shortage,
        DROP COLUMN attempt,
        ADD PRIMARY KEY (order_id)`);
    await queryRunner.query(`
      ALTER TABLE reservation ADD CONSTRAINT reservation_order_id_fkey FOREIGN KEY (order_id) REFERENCES reservation_request (order_id)`);
  }
}
