import { waitFor } from '@skald/testing';
import pg from 'pg';
import { suite } from './suite-state.mjs';

/**
 * Waits until the orders service's catalog replica has the SKUs: set-up only. A real catalog is in
 * place long before orders arrive; a test that creates SKUs and orders them a moment later must
 * not race the event that carries them.
 */
export async function catalogReachedOrders(skus: string[], ordersDatabase: string = suite().databases.orders): Promise<void> {
  const client = new pg.Client({ connectionString: ordersDatabase });
  await client.connect();
  try {
    await waitFor(`orders to know ${skus.join(', ')}`, async () => {
      const { rows } = await client.query('SELECT count(*)::int AS n FROM catalog_item WHERE sku = ANY($1)', [skus]);
      return rows[0].n === skus.length;
    });
  } finally {
    await client.end();
  }
}
