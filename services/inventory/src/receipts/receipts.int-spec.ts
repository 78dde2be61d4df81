import { asPlatform, asStaff } from '@skald/testing';
import { anSku, aReceipt, aWarehouseCode } from '../../test/factories.js';
import { INVENTORY_STAFF, InventoryDriver } from '../../test/inventory-driver.js';

describe('stock receipts and the ledger (real PostgreSQL and RabbitMQ)', () => {
  let inventory: InventoryDriver;

  beforeAll(async () => {
    inventory = await InventoryDriver.start();
  });

  afterAll(async () => {
    await inventory?.close();
  });

  it('raises on-hand stock per warehouse and writes one receipt ledger entry per line', async () => {
    const [tea, cups] = [anSku('TEA'), anSku('CUP')];
    await inventory.catalogItem(tea);
    await inventory.catalogItem(cups);
    const [firstSeen, preferred] = [aWarehouseCode('FIRST'), aWarehouseCode('PREF')];
    await inventory.warehouse(preferred, 50);

    const res = await inventory
      .http()
      .post('/v1/stock/receipts')
      .set(asStaff(['warehouse']))
      .send(
        aReceipt({
          warehouse: firstSeen,
          reference: 'PO-1',
          lines: [
            { sku: tea, quantity: 5 },
            { sku: cups, quantity: 3 },
            { sku: tea, quantity: 2 },
          ],
        }),
      );
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      warehouse: firstSeen,
      lines: [
        { sku: tea, quantity: 5 },
        { sku: cups, quantity: 3 },
        { sku: tea, quantity: 2 },
      ],
      receivedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    await inventory.receive(preferred, [{ sku: tea, quantity: 1 }]);

    // The warehouse met first in a receipt got priority 100, so the one at 50 comes first.
    expect(await inventory.stockOf(tea)).toEqual({
      sku: tea,
      warehouses: [
        { warehouse: preferred, onHand: 1, reserved: 0, quarantined: 0, available: 1, lowStockThreshold: null },
        { warehouse: firstSeen, onHand: 7, reserved: 0, quarantined: 0, available: 7, lowStockThreshold: null },
      ],
      totals: { onHand: 8, reserved: 0, quarantined: 0, available: 8 },
    });
    const ledger = await inventory.ledgerOf(tea);
    expect(ledger).toEqual([
      expect.objectContaining({
        warehouse: firstSeen,
        sku: tea,
        kind: 'receipt',
        onHandDelta: 5,
        reservedDelta: 0,
        onHandAfter: 5,
        reservedAfter: 0,
        orderId: null,
        reference: res.body.id,
      }),
      expect.objectContaining({ warehouse: firstSeen, kind: 'receipt', onHandDelta: 2, onHandAfter: 7, reference: res.body.id }),
      expect.objectContaining({ warehouse: preferred, kind: 'receipt', onHandDelta: 1, onHandAfter: 1 }),
    ]);
    expect((await inventory.ledgerOf(cups)).map((e) => [e.kind, e.onHandDelta, e.onHandAfter])).toEqual([['receipt', 3, 3]]);
    expect(await inventory.invariantViolations()).toEqual([]);
  });

  it('refuses a receipt with SKUs not in the catalog (422 listing them) and changes nothing', async () => {
    const known = anSku();
    await inventory.catalogItem(known);
    const [missingA, missingB] = [anSku('NOPE'), anSku('NOPE')];
    const warehouse = aWarehouseCode();
    const receiptsBefore = await inventory.query(`SELECT id FROM stock_receipt`);

    const res = await inventory
      .http()
      .post('/v1/stock/receipts')
      .set(INVENTORY_STAFF)
      .send(
        aReceipt({
          warehouse,
          lines: [
            { sku: known, quantity: 5 },
            { sku: missingA, quantity: 1 },
            { sku: missingB, quantity: 2 },
            { sku: missingA, quantity: 1 },
          ],
        }),
      );

    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 422, code: 'SKU_UNKNOWN', skus: [missingA, missingB] });
    expect(await inventory.stockOf(known)).toEqual({ sku: known, warehouses: [], totals: { onHand: 0, reserved: 0, quarantined: 0, available: 0 } });
    expect(await inventory.ledgerOf(known)).toEqual([]);
    expect(await inventory.query(`SELECT id FROM stock_receipt`)).toEqual(receiptsBefore);
    expect(await inventory.query(`SELECT code FROM warehouse WHERE code = $1`, [warehouse])).toEqual([]);
  });

  it('refuses invalid receipts with the failing fields, and callers without a stock role', async () => {
    const sku = anSku();
    await inventory.catalogItem(sku);
    const post = (body: object, caller = INVENTORY_STAFF) => inventory.http().post('/v1/stock/receipts').set(caller).send(body);
    const fields = (res: { body: { errors: Array<{ field: string }> } }) => [...new Set(res.body.errors.map((e) => e.field))];

    const empty = await post({ warehouse: 'WH-1', lines: [] });
    expect([empty.status, fields(empty)]).toEqual([400, ['lines']]);
    const badLines = await post({
      warehouse: 'bad code',
      lines: [
        { sku, quantity: 0 },
        { sku, quantity: 1.5 },
        { sku: 'a/b', quantity: 1 },
      ],
    });
    expect([badLines.status, fields(badLines)]).toEqual([400, ['warehouse', 'lines.0.quantity', 'lines.1.quantity', 'lines.2.sku']]);
    const tooMany = await post({ warehouse: 'WH-1', lines: Array.from({ length: 201 }, () => ({ sku, quantity: 1 })) });
    expect([tooMany.status, fields(tooMany)]).toEqual([400, ['lines']]);
    const unknownField = await post({ warehouse: 'WH-1', lines: [{ sku, quantity: 1, price: 3 }] });
    expect([unknownField.status, fields(unknownField)]).toEqual([400, ['lines.0.price']]);
    const huge = await post({ warehouse: 'WH-1', lines: [{ sku, quantity: 1e30 }] });
    expect([huge.status, huge.body.code, fields(huge)]).toEqual([422, 'AMOUNT_OUT_OF_RANGE', ['lines.0.quantity']]);
    const nul = await post({ warehouse: 'WH\u00001', lines: [{ sku, quantity: 1 }] });
    expect([nul.status, nul.body.code, fields(nul)]).toEqual([400, 'VALIDATION_FAILED', ['warehouse']]);

    expect((await post(aReceipt({ lines: [{ sku, quantity: 1 }] }), asPlatform('tenant-a'))).status).toBe(403);
    expect((await post(aReceipt({ lines: [{ sku, quantity: 1 }] }), asStaff(['ops', 'reviewer']))).status).toBe(403);
    expect((await inventory.http().post('/v1/stock/receipts').send(aReceipt({ lines: [{ sku, quantity: 1 }] }))).status).toBe(401);
    expect(await inventory.ledgerOf(sku)).toEqual([]);
  });

  it('pages through a ledger with opaque cursors, and refuses a forged cursor and an unknown SKU', async () => {
    const sku = anSku();
    await inventory.catalogItem(sku);
    const warehouse = aWarehouseCode();
    for (const quantity of [1, 2, 3, 4, 5]) await inventory.receive(warehouse, [{ sku, quantity }]);

    const seen: number[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const res = await inventory
        .http()
        .get(`/v1/stock/${sku}/ledger`)
        .query({ limit: 2, ...(cursor ? { cursor } : {}) })
        .set(asStaff(['reviewer']));
      expect(res.status).toBe(200);
      seen.push(...res.body.items.map((e: { onHandDelta: number }) => e.onHandDelta));
      cursor = res.body.nextCursor ?? undefined;
      pages += 1;
    } while (cursor);
    expect(seen).toEqual([1, 2, 3, 4, 5]);
    expect(pages).toBe(3);

    const beyondBigint = Buffer.from('m:99999999999999999999').toString('base64url');
    const forged = await inventory.http().get(`/v1/stock/${sku}/ledger`).query({ cursor: beyondBigint }).set(INVENTORY_STAFF);
    expect(forged.status).toBe(400);
    expect(forged.body).toMatchObject({ code: 'INVALID_CURSOR' });
    const garbage = await inventory.http().get(`/v1/stock/${sku}/ledger`).query({ cursor: 'bm90LWEtY3Vyc29y' }).set(INVENTORY_STAFF);
    expect(garbage.body).toMatchObject({ status: 400, code: 'INVALID_CURSOR' });
    const badLimit = await inventory.http().get(`/v1/stock/${sku}/ledger`).query({ limit: 0 }).set(INVENTORY_STAFF);
    expect(badLimit.status).toBe(400);

    const unknown = await inventory.http().get(`/v1/stock/${anSku()}/ledger`).set(INVENTORY_STAFF);
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ code: 'SKU_UNKNOWN' });
    expect((await inventory.http().get(`/v1/stock/${anSku()}`).set(INVENTORY_STAFF)).status).toBe(404);
    expect((await inventory.http().get(`/v1/stock/${sku}`).set(asPlatform('tenant-a'))).status).toBe(403);
  });
});
