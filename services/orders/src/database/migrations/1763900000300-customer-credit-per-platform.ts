import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Customers belong to a platform: customer ids are chosen by each platform, so `cust-1` of one
 * platform is not `cust-1` of another. The credit table is keyed by (tenant_id, customer_id), and a
 * credit limit has a currency (exposure counts only that platform's orders in that currency).
 *
 * Existing rows: a limit used to apply to every platform's customer of that id and to every
 * currency. A limit is kept only where its platform and currency can be derived without guessing:
 * every order of that customer id is of one platform and in one currency. Any other limit is
 * dropped, not assigned to one platform or copied to all: a limit that applied to everyone is
 * unsafe to keep (it would cap, or allow, credit for a customer it was never set for). Staff set
 * the dropped limits again per platform (`PUT /v1/platforms/{platformId}/customers/{customerId}`);
 * until then those customers' orders are reviewed without a credit check, as before a limit was set.
 * Rows without a limit only serialised credit checks and are recreated on demand: dropped too.
 * `updated_at` is when staff last set the limit: null for a row only a credit check created.
 */
export class CustomerCreditPerPlatform1763900000300 implements MigrationInterface {
  name = 'CustomerCreditPerPlatform1763900000300';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE customer ADD COLUMN tenant_id text, ADD COLUMN currency char(3)`);
    await q.query(`
      UPDATE customer c SET tenant_id = derived.tenant_id, currency = derived.currency
        FROM (
          SELECT o.customer_id, min(o.tenant_id) AS tenant_id, min(o.currency) AS currency
            FROM sales_order o
           GROUP BY o.customer_id
          HAVING count(DISTINCT o.tenant_id) = 1 AND count(DISTINCT o.currency) = 1
        ) derived
       WHERE derived.customer_id = c.id AND c.credit_limit IS NOT NULL`);
    await q.query(`DELETE FROM customer WHERE tenant_id IS NULL`);
    await q.query(`ALTER TABLE customer RENAME COLUMN id TO customer_id`);
    await q.query(`
      ALTER TABLE customer
        ALTER COLUMN tenant_id SET NOT NULL,
        ALTER COLUMN updated_at DROP NOT NULL,
        ALTER COLUMN updated_at DROP DEFAULT,
        DROP CONSTRAINT customer_pkey,
        ADD PRIMARY KEY (tenant_id, customer_id),
        ADD CONSTRAINT customer_currency_check CHECK (currency ~ '^[A-Z]{3}$'),
        ADD CONSTRAINT customer_limit_currency_check CHECK ((credit_limit IS NULL) = (currency IS NULL))`);
    // Exposure is summed per (platform, customer, currency) over open unpaid orders.
    await q.query(`DROP INDEX sales_order_customer_open_idx`);
    await q.query(`
      CREATE INDEX sales_order_customer_open_idx ON sales_order (tenant_id, customer_id, currency)
       WHERE payment_status = 'pending' AND status NOT IN ('rejected', 'cancelled', 'delivered')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX sales_order_customer_open_idx`);
    await q.query(`CREATE INDEX sales_order_customer_open_idx ON sales_order (customer_id) WHERE status NOT IN ('rejected', 'cancelled', 'delivered')`);
    // A global id holds one limit: where platforms share a customer id, none of theirs is kept.
    await q.query(`DELETE FROM customer c WHERE EXISTS (SELECT 1 FROM customer other WHERE other.customer_id = c.customer_id AND other.tenant_id <> c.tenant_id)`);
    await q.query(`
      ALTER TABLE customer
        DROP CONSTRAINT customer_limit_currency_check,
        DROP CONSTRAINT customer_currency_check,
        DROP CONSTRAINT customer_pkey,
        DROP COLUMN currency,
        DROP COLUMN tenant_id`);
    await q.query(`UPDATE customer SET updated_at = now() WHERE updated_at IS NULL`);
    await q.query(`ALTER TABLE customer ALTER COLUMN updated_at SET DEFAULT now(), ALTER COLUMN updated_at SET NOT NULL`);
    await q.query(`ALTER TABLE customer RENAME COLUMN customer_id TO id`);
    await q.query(`ALTER TABLE customer ADD PRIMARY KEY (id)`);
  }
}
