import { CatalogItemUpdatedV1, LowStockAlertV1 } from '@skald/contracts';
import { IdempotentRequests } from '@skald/service-kit';
import { anIdempotencyKey } from '@skald/testing';
import { aCatalogItem, anSku, aReceipt, aWarehouseCode } from '../../test/factories.js';
import { INVENTORY_STAFF, InventoryDriver } from '../../test/inventory-driver.js';

describe('idempotent state-changing routes of inventory (real PostgreSQL and RabbitMQ)', () => {
  let inventory: InventoryDriver;

  beforeAll(async () => {
    inventory = await InventoryDriver.start();
  });

  afterAll(async () => {
    await inventory?.close();
  });

  const postReceipt = (key: Record<string, string>, body: object) => inventory.http().post('/v1/stock/receipts').set(INVENTORY_STAFF).set(key).send(body);
  const receiptsOf = (sku: string) => inventory.query(`SELECT DISTINCT receipt_id FROM stock_receipt_line WHERE sku = $1`, [sku]);

  it('books a receipt repeated with the same key once, and answers the repeat with the first outcome', async () => {
    const sku = anSku();
    await inventory.catalogItem(sku);
    const receipt = aReceipt({ lines: [{ sku, quantity: 5 }] });
    const key = anIdempotencyKey();

    const first = await postReceipt(key, receipt);
    const again = await postReceipt(key, receipt);

    expect(first.status).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(await receiptsOf(sku)).toHaveLength(1);
    expect((await inventory.ledgerOf(sku)).map((entry) => [entry.kind, entry.onHandDelta])).toEqual([['receipt', 5]]);
    expect((await inventory.stockOf(sku)).totals.onHand).toBe(5);
  });

  it('books a burst of the same receipt under one key once: the duplicates wait for the first and replay it', async () => {
    const sku = anSku();
    await inventory.catalogItem(sku);
    const receipt = aReceipt({ lines: [{ sku, quantity: 3 }] });
    const key = anIdempotencyKey();

    const answers = await Promise.all(Array.from({ length: 5 }, () => postReceipt(key, receipt)));

    expect(answers.map((res) => res.status)).toEqual([201, 201, 201, 201, 201]);
    expect(new Set(answers.map((res) => res.body.id)).size).toBe(1);
    expect(answers.filter((res) => res.headers['idempotent-replayed'] === 'true')).toHaveLength(4);
    expect(await receiptsOf(sku)).toHaveLength(1);
    expect((await inventory.stockOf(sku)).totals.onHand).toBe(3);
  });

  it('refuses the same key for another body or another route with 422 IDEMPOTENCY_KEY_REUSED, changing nothing', async () => {
    const sku = anSku();
    await inventory.catalogItem(sku);
    const receipt = aReceipt({ lines: [{ sku, quantity: 2 }] });
    const key = anIdempotencyKey();
    await postReceipt(key, receipt);

    const otherBody = await postReceipt(key, { ...receipt, lines: [{ sku, quantity: 20 }] });
    const otherRoute = await inventory.http().put(`/v1/catalog/${sku}`).set(INVENTORY_STAFF).set(key).send(aCatalogItem({ name: 'renamed' }));

    expect(otherBody.status).toBe(422);
    expect(otherBody.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(otherBody.body).toMatchObject({ status: 422, code: 'IDEMPOTENCY_KEY_REUSED' });
    expect(otherRoute.status).toBe(422);
    expect(otherRoute.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect((await inventory.stockOf(sku)).totals.onHand).toBe(2);
    expect(await inventory.outbox(CatalogItemUpdatedV1, (item) => item.sku === sku && item.name === 'renamed')).toEqual([]);
  });

  it('records nothing for a refused request, so the corrected request runs under the same key', async () => {
    const [known, missing] = [anSku(), anSku('NOPE')];
    await inventory.catalogItem(known);
    const warehouse = aWarehouseCode();
    const key = anIdempotencyKey();

    const refused = await postReceipt(key, aReceipt({ warehouse, lines: [{ sku: known, quantity: 1 }, { sku: missing, quantity: 1 }] }));
    const corrected = await postReceipt(key, aReceipt({ warehouse, lines: [{ sku: known, quantity: 1 }] }));

    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('SKU_UNKNOWN');
    expect(corrected.status).toBe(201);
    expect(corrected.headers['idempotent-replayed']).toBeUndefined();
    expect((await inventory.stockOf(known)).totals.onHand).toBe(1);
  });

  it('runs a request without a key every time (the gateway sends one only when the client did)', async () => {
    const sku = anSku();
    await inventory.catalogItem(sku);
    const receipt = aReceipt({ lines: [{ sku, quantity: 1 }] });

    await inventory.http().post('/v1/stock/receipts').set(INVENTORY_STAFF).send(receipt).expect(201);
    await inventory.http().post('/v1/stock/receipts').set(INVENTORY_STAFF).send(receipt).expect(201);

    expect(await receiptsOf(sku)).toHaveLength(2);
  });

  it('answers a repeated catalog item, warehouse and low-stock threshold setting with the first outcome and no second event', async () => {
    const sku = anSku();
    const warehouse = aWarehouseCode();
    const [catalogKey, warehouseKey, thresholdKey] = [anIdempotencyKey(), anIdempotencyKey(), anIdempotencyKey()];
    const putItem = () => inventory.http().put(`/v1/catalog/${sku}`).set(INVENTORY_STAFF).set(catalogKey).send(aCatalogItem());
    const putWarehouse = () => inventory.http().put(`/v1/warehouses/${warehouse}`).set(INVENTORY_STAFF).set(warehouseKey).send({ priority: 7 });
    const putThreshold = () =>
      inventory.http().put(`/v1/stock/${sku}/warehouses/${warehouse}/low-stock-threshold`).set(INVENTORY_STAFF).set(thresholdKey).send({ threshold: 10 });

    const [item, itemAgain] = [await putItem(), await putItem()];
    const [site, siteAgain] = [await putWarehouse(), await putWarehouse()];
    await inventory.receive(warehouse, [{ sku, quantity: 4 }]);
    const [threshold, thresholdAgain] = [await putThreshold(), await putThreshold()];

    expect([item.status, itemAgain.status, itemAgain.headers['idempotent-replayed']]).toEqual([200, 200, 'true']);
    expect(itemAgain.body).toEqual(item.body);
    expect(await inventory.outbox(CatalogItemUpdatedV1, (payload) => payload.sku === sku)).toHaveLength(1);
    expect([site.status, siteAgain.status, siteAgain.headers['idempotent-replayed']]).toEqual([200, 200, 'true']);
    expect(siteAgain.body).toEqual(site.body);
    expect([threshold.status, thresholdAgain.status, thresholdAgain.headers['idempotent-replayed']]).toEqual([200, 200, 'true']);
    expect(threshold.body).toMatchObject({ threshold: 10, available: 4, alerted: true });
    expect(thresholdAgain.body).toEqual(threshold.body);
    expect(await inventory.outbox(LowStockAlertV1, (payload) => payload.sku === sku)).toHaveLength(1);
  });

  it('forgets keys after 24 hours', async () => {
    const [old, recent] = [anIdempotencyKey(), anIdempotencyKey()];
    const sku = anSku();
    await inventory.catalogItem(sku);
    await postReceipt(old, aReceipt({ lines: [{ sku, quantity: 1 }] }));
    await postReceipt(recent, aReceipt({ lines: [{ sku, quantity: 1 }] }));
    const keyOf = (header: Record<string, string>) => Object.values(header)[0];
    await inventory.query(`UPDATE idempotent_request SET created_at = now() - interval '24 hours 1 minute' WHERE key = $1`, [keyOf(old)]);

    expect(await inventory.sut.app.get(IdempotentRequests).prune()).toBeGreaterThanOrEqual(1);

    const left = await inventory.query(`SELECT key FROM idempotent_request WHERE key = ANY($1)`, [[keyOf(old), keyOf(recent)]]);
    expect(left).toEqual([{ key: keyOf(recent) }]);
  });
});
