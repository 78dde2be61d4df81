// What the benchmarks wait for while setting up: the orders service learns SKUs and platforms
// from inventory's and the gateway's events, so an order placed before it knows them is refused.
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';

/** Waits until the orders database (`ordersUrl`) has every one of `skus` and the platform `tenantId` (set-up only). */
export async function waitUntilOrdersKnows(ordersUrl, skus, tenantId, timeoutMs = 30_000) {
  const client = new pg.Client({ connectionString: ordersUrl });
  await client.connect();
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { rows } = await client.query(
        `SELECT (SELECT count(*)::int FROM catalog_item WHERE sku = ANY($1)) AS skus,
                (SELECT count(*)::int FROM tenant_policy WHERE tenant_id = $2) AS tenants`,
        [skus, tenantId],
      );
      if (rows[0].skus === skus.length && rows[0].tenants === 1) return;
      if (Date.now() > deadline) throw new Error(`orders knows ${rows[0].skus}/${skus.length} SKUs and ${rows[0].tenants}/1 platform after ${timeoutMs} ms`);
      await sleep(50);
    }
  } finally {
    await client.end();
  }
}
