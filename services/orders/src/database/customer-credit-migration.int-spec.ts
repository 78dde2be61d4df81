import { randomUUID } from 'node:crypto';
import { createScratchDatabase, postgresDataSourceOptions, runMigrations, type ScratchDatabase } from '@skald/persistence';
import { DataSource } from 'typeorm';
import { migrations } from './migrations.js';
import { CustomerCreditPerPlatform1763900000300 } from './migrations/1763900000300-customer-credit-per-platform.js';

describe('migration: customers keyed by platform (real PostgreSQL)', () => {
  let database: ScratchDatabase;
  let dataSource: DataSource;
  const before = migrations.filter((migration) => migration !== CustomerCreditPerPlatform1763900000300);

  beforeAll(async () => {
    database = await createScratchDatabase('orders_credit_migration');
    dataSource = new DataSource(postgresDataSourceOptions({ url: database.url, applicationName: 'credit-migration-spec', migrations: before, poolSize: 2 }));
    await dataSource.initialize();
    await runMigrations(dataSource);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  async function anOrder(tenantId: string, customerId: string, currency = 'EUR'): Promise<void> {
    await dataSource.query(
      `INSERT INTO sales_order (id, tenant_id, external_id, channel, status, customer_id, customer, currency, total_amount, shipping_address,
                                payment_method, payment_status, payment_amount)
       VALUES ($1, $2, $3, 'web', 'approved', $4, '{}', $5, 10, '{}', 'invoice', 'pending', 10)`,
      [randomUUID(), tenantId, `EXT-${randomUUID()}`, customerId, currency],
    );
  }

  it('keeps a limit whose platform and currency the orders tell, and drops the others', async () => {
    await dataSource.query(`INSERT INTO customer (id, credit_limit) VALUES ('one-shop', 500), ('two-shops', 300), ('two-currencies', 200), ('no-orders', 100), ('lock-only', NULL)`);
    await anOrder('shop-a', 'one-shop');
    await anOrder('shop-a', 'one-shop');
    await anOrder('shop-a', 'two-shops');
    await anOrder('shop-b', 'two-shops');
    await anOrder('shop-a', 'two-currencies', 'EUR');
    await anOrder('shop-a', 'two-currencies', 'USD');
    await anOrder('shop-a', 'lock-only');

    const upgraded = new DataSource(postgresDataSourceOptions({ url: database.url, applicationName: 'credit-migration-spec-2', migrations, poolSize: 2 }));
    await upgraded.initialize();
    try {
      expect((await runMigrations(upgraded)).map((m) => m.name)).toEqual(['CustomerCreditPerPlatform1763900000300']);
      expect(await upgraded.query(`SELECT tenant_id, customer_id, credit_limit::text, currency FROM customer ORDER BY customer_id`)).toEqual([
        { tenant_id: 'shop-a', customer_id: 'one-shop', credit_limit: '500.0000', currency: 'EUR' },
      ]);
      // The same customer id on two platforms: two customers.
      await upgraded.query(`INSERT INTO customer (tenant_id, customer_id, credit_limit, currency, updated_at) VALUES ('shop-b', 'one-shop', 50, 'GBP', now())`);
      await expect(upgraded.query(`INSERT INTO customer (tenant_id, customer_id, credit_limit) VALUES ('shop-c', 'x', 50)`)).rejects.toThrow(/customer_limit_currency_check/);
      await expect(upgraded.query(`INSERT INTO customer (tenant_id, customer_id, credit_limit, currency) VALUES ('shop-c', 'x', 50, 'eur')`)).rejects.toThrow(/customer_currency_check/);
      await upgraded.query(`INSERT INTO customer (tenant_id, customer_id, credit_limit, currency, updated_at) VALUES ('shop-c', 'c-only', 70, 'EUR', now())`);

      // Back to global ids: an id two platforms share keeps no limit (whose would it be?).
      await upgraded.undoLastMigration({ transaction: 'each' });
      expect(await upgraded.query(`SELECT id, credit_limit::text FROM customer ORDER BY id`)).toEqual([{ id: 'c-only', credit_limit: '70.0000' }]);
    } finally {
      await upgraded.destroy();
    }
  });
});
