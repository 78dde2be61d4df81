import type { MigrationInterface, QueryRunner } from 'typeorm';

export class OrdersSchema1763900000100 implements MigrationInterface {
  name = 'OrdersSchema1763900000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE tenant_policy (
        tenant_id text PRIMARY KEY,
        name text NOT NULL,
        price_tolerance_pct numeric(5,2) NOT NULL CHECK (price_tolerance_pct BETWEEN 0 AND 100),
        review_amount_threshold numeric(14,4) NOT NULL CHECK (review_amount_threshold >= 0),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE catalog_item (
        sku text PRIMARY KEY,
        name text NOT NULL,
        list_price numeric(14,4) NOT NULL,
        currency char(3) NOT NULL,
        sellable boolean NOT NULL,
        returnable boolean NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE customer (
        id text PRIMARY KEY,
        credit_limit numeric(14,4) CHECK (credit_limit >= 0),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE sales_order (
        id uuid PRIMARY KEY,
        tenant_id text NOT NULL,
        external_id text NOT NULL,
        channel text NOT NULL,
        status text NOT NULL,
        customer_id text NOT NULL,
        customer jsonb NOT NULL,
        currency char(3) NOT NULL,
        total_amount numeric(14,4) NOT NULL,
        shipping_address jsonb NOT NULL,
        payment_method text NOT NULL,
        payment_status text NOT NULL,
        payment_amount numeric(14,4) NOT NULL,
        requested_delivery_date date,
        review jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT sales_order_external_id_unique UNIQUE (tenant_id, external_id)
      )`);
    await q.query(`CREATE INDEX sales_order_list_idx ON sales_order (tenant_id, created_at, id)`);
    await q.query(`CREATE INDEX sales_order_status_idx ON sales_order (status)`);
    await q.query(`CREATE INDEX sales_order_customer_open_idx ON sales_order (customer_id) WHERE status NOT IN ('rejected', 'cancelled', 'delivered')`);
    await q.query(`
      CREATE TABLE order_line (
        order_id uuid NOT NULL REFERENCES sales_order (id),
        line_no int NOT NULL,
        sku text NOT NULL,
        quantity int NOT NULL CHECK (quantity > 0),
        unit_price numeric(14,4) NOT NULL CHECK (unit_price >= 0),
        PRIMARY KEY (order_id, line_no)
      )`);
    await q.query(`
      CREATE TABLE order_status_entry (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        order_id uuid NOT NULL REFERENCES sales_order (id),
        status text NOT NULL,
        reason text,
        at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await q.query(`CREATE INDEX order_status_entry_order_idx ON order_status_entry (order_id, id)`);
    await q.query(`
      CREATE TABLE order_reservation (
        reservation_id text PRIMARY KEY,
        order_id uuid NOT NULL REFERENCES sales_order (id),
        warehouse text NOT NULL,
        sku text NOT NULL,
        quantity int NOT NULL
      )`);
    await q.query(`CREATE INDEX order_reservation_order_idx ON order_reservation (order_id)`);
    await q.query(`
      CREATE TABLE order_outbound_note (
        note_id text PRIMARY KEY,
        order_id uuid NOT NULL REFERENCES sales_order (id),
        warehouse text NOT NULL,
        status text NOT NULL,
        lines jsonb,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX order_outbound_note_order_idx ON order_outbound_note (order_id)`);
    await q.query(`
      CREATE TABLE order_shipment (
        shipment_id text PRIMARY KEY,
        order_id uuid NOT NULL REFERENCES sales_order (id),
        note_id text NOT NULL,
        warehouse text NOT NULL,
        carrier text NOT NULL,
        tracking_number text NOT NULL,
        shipped_at timestamptz NOT NULL,
        delivered_at timestamptz
      )`);
    await q.query(`CREATE INDEX order_shipment_order_idx ON order_shipment (order_id)`);
    await q.query(`
      CREATE TABLE order_saga (
        order_id uuid PRIMARY KEY REFERENCES sales_order (id),
        state text NOT NULL,
        version int NOT NULL DEFAULT 1,
        deadline_at timestamptz,
        data jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX order_saga_deadline_idx ON order_saga (deadline_at) WHERE deadline_at IS NOT NULL`);
    await q.query(`
      CREATE TABLE saga_step (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        saga_id uuid NOT NULL REFERENCES order_saga (order_id),
        at timestamptz NOT NULL DEFAULT clock_timestamp(),
        kind text NOT NULL,
        message_type text,
        message_id uuid,
        from_state text,
        to_state text,
        reason text
      )`);
    await q.query(`CREATE INDEX saga_step_saga_idx ON saga_step (saga_id, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'saga_step',
      'order_saga',
      'order_shipment',
      'order_outbound_note',
      'order_reservation',
      'order_status_entry',
      'order_line',
      'sales_order',
      'customer',
      'catalog_item',
      'tenant_policy',
    ]) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
