import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The returns service's own tables. Never edit: add a migration. */
export class ReturnsSchema1764000000100 implements MigrationInterface {
  name = 'ReturnsSchema1764000000100';

  async up(q: QueryRunner): Promise<void> {
    // The replica of what returns needs of an order, kept from orders' and the warehouse's events.
    await q.query(`
      CREATE TABLE returnable_order (
        order_id uuid PRIMARY KEY,
        tenant_id text NOT NULL,
        external_id text NOT NULL,
        channel text NOT NULL,
        currency char(3) NOT NULL,
        customer jsonb NOT NULL,
        payment_status text NOT NULL,
        total_amount numeric(19, 4) NOT NULL,
        placed_at timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE returnable_order_line (
        order_id uuid NOT NULL REFERENCES returnable_order (order_id),
        sku text NOT NULL,
        unit_price numeric(19, 4) NOT NULL,
        ordered integer NOT NULL,
        PRIMARY KEY (order_id, sku)
      )`);
    // Each outbound note's shipment and delivery, as the warehouse reports them (in any order, each once).
    await q.query(`
      CREATE TABLE returnable_shipment (
        note_id text PRIMARY KEY,
        order_id uuid NOT NULL,
        warehouse text,
        lines jsonb,
        shipped_at timestamptz,
        delivered_at timestamptz
      )`);
    await q.query(`CREATE INDEX returnable_shipment_order_idx ON returnable_shipment (order_id)`);
    await q.query(`CREATE INDEX returnable_shipment_shipped_idx ON returnable_shipment (shipped_at)`);
    // What orders refunded of the order (cancelled lines): a return's refund never goes above what is left of the payment.
    await q.query(`
      CREATE TABLE returnable_refund (
        refund_id text PRIMARY KEY,
        order_id uuid NOT NULL,
        amount numeric(19, 4) NOT NULL
      )`);
    await q.query(`CREATE INDEX returnable_refund_order_idx ON returnable_refund (order_id)`);
    // The catalog's returnable flag, from inventory's catalog events.
    await q.query(`
      CREATE TABLE returnable_sku (
        sku text PRIMARY KEY,
        returnable boolean NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE return_policy (
        tenant_id text PRIMARY KEY,
        window_days integer NOT NULL,
        review_reasons text[] NOT NULL,
        review_above numeric(19, 4),
        scrap_refund_percent numeric(5, 2) NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE SEQUENCE rma_number_seq`);
    await q.query(`
      CREATE TABLE return_request (
        id uuid PRIMARY KEY,
        rma_number text NOT NULL UNIQUE,
        tenant_id text NOT NULL,
        order_id uuid NOT NULL REFERENCES returnable_order (order_id),
        status text NOT NULL,
        resolution text NOT NULL,
        amount numeric(19, 4) NOT NULL,
        currency char(3) NOT NULL,
        review_reasons text[] NOT NULL,
        decision jsonb,
        status_reason text,
        refund_amount numeric(19, 4),
        replacement_order_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX return_request_tenant_idx ON return_request (tenant_id, created_at, id)`);
    await q.query(`CREATE INDEX return_request_order_idx ON return_request (order_id)`);
    await q.query(`CREATE INDEX return_request_status_idx ON return_request (status, created_at, id)`);
    await q.query(`CREATE INDEX return_request_replacement_idx ON return_request (replacement_order_id) WHERE replacement_order_id IS NOT NULL`);
    await q.query(`
      CREATE TABLE return_line (
        return_id uuid NOT NULL REFERENCES return_request (id),
        line_no integer NOT NULL,
        sku text NOT NULL,
        quantity integer NOT NULL,
        reason_code text NOT NULL,
        comment text,
        PRIMARY KEY (return_id, line_no)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['return_line', 'return_request', 'return_policy', 'returnable_refund', 'returnable_sku', 'returnable_shipment', 'returnable_order_line', 'returnable_order']) await q.query(`DROP TABLE ${table}`);
    await q.query(`DROP SEQUENCE rma_number_seq`);
  }
}
