import { LowStockAlertV1 } from '@skald/contracts';
import { asPlatform, asStaff } from '@skald/testing';
import { aReserveCommand, anOrderId, anOutboundNoteShipped, anSku, aWarehouseCode } from '../../test/factories.js';
import { INVENTORY_STAFF, InventoryDriver } from '../../test/inventory-driver.js';

describe('low-stock thresholds and alerts (real PostgreSQL and RabbitMQ)', () => {
  let inventory: InventoryDriver;

  beforeAll(async () => {
    inventory = await InventoryDriver.start();
  });

  afterAll(async () => {
    await inventory?.close();
  });

  afterEach(async () => {
    expect(await inventory.invariantViolations()).toEqual([]);
  });

  const alertsOf = (sku: string) => inventory.outbox(LowStockAlertV1, (p) => p.sku === sku).then((all) => all.map((m) => m.payload));

  it('alerts when a movement takes available stock below the threshold, once per crossing', async () => {
    const sku = anSku();
    const [warehouse, other] = [aWarehouseCode(), aWarehouseCode('OTHER')];
    await inventory.warehouse(warehouse, 1);
    await inventory.warehouse(other, 2);
    await inventory.stocked([
      { warehouse, sku, quantity: 10 },
      { warehouse: other, sku, quantity: 10 },
    ]);
    expect(await inventory.setThreshold(sku, warehouse, 5)).toMatchObject({ alerted: false });
    expect(await alertsOf(sku)).toEqual([]);

    // 10 → 6 available: still at or above 5.
    const first = anOrderId();
    await inventory.reservedFor(inventory.reserve(aReserveCommand({ orderId: first, lines: [{ sku, quantity: 4 }] })));
    expect(await alertsOf(sku)).toEqual([]);
    // 6 → 5: at the threshold, not below.
    await inventory.reservedFor(inventory.reserve(aReserveCommand({ lines: [{ sku, quantity: 1 }] })));
    expect(await alertsOf(sku)).toEqual([]);
    // 5 → 4: crossed.
    const crossing = anOrderId();
    await inventory.reservedFor(inventory.reserve(aReserveCommand({ orderId: crossing, lines: [{ sku, quantity: 1 }] })));
    const alert = await inventory.probe.next(LowStockAlertV1, (p) => p.sku === sku);
    expect(alert.payload).toEqual({ sku, warehouse, available: 4, onHand: 10, reserved: 6, threshold: 5 });
    expect(alert.tenantId).toBeNull();
    // 4 → 1 stays below: no further alert; shipping leaves availability as it is.
    await inventory.reservedFor(inventory.reserve(aReserveCommand({ lines: [{ sku, quantity: 3 }] })));
    await inventory.processed(inventory.ship(anOutboundNoteShipped({ orderId: first, warehouse, lines: [{ sku, quantity: 4 }] })));
    expect(await alertsOf(sku)).toHaveLength(1);

    // Back above (receipt), then below again (reserve): a second crossing, a second alert.
    await inventory.receive(warehouse, [{ sku, quantity: 6 }]);
    expect(await alertsOf(sku)).toHaveLength(1);
    await inventory.reservedFor(inventory.reserve(aReserveCommand({ lines: [{ sku, quantity: 4 }] })));
    expect((await alertsOf(sku)).map((p) => [p.warehouse, p.available, p.threshold])).toEqual([
      [warehouse, 4, 5],
      [warehouse, 3, 5],
    ]);
    // The other warehouse has no threshold: never alerts.
    expect((await alertsOf(sku)).filter((p) => p.warehouse === other)).toEqual([]);

    expect((await inventory.stockOf(sku)).warehouses).toEqual([
      { warehouse, onHand: 12, reserved: 9, quarantined: 0, available: 3, lowStockThreshold: 5 },
      { warehouse: other, onHand: 10, reserved: 0, quarantined: 0, available: 10, lowStockThreshold: null },
    ]);
    expect(await inventory.ledgerTotals(sku)).toEqual({ onHand: 22, reserved: 9, quarantined: 0 });
  });

  it('alerts once when a threshold is set above what is available, not again for the same or a lower one', async () => {
    const sku = anSku();
    const warehouse = aWarehouseCode();
    await inventory.stocked([{ warehouse, sku, quantity: 3 }]);

    expect(await inventory.setThreshold(sku, warehouse, 2)).toMatchObject({ alerted: false });
    expect(await inventory.setThreshold(sku, warehouse, 5)).toEqual({
      sku,
      warehouse,
      threshold: 5,
      onHand: 3,
      reserved: 0,
      quarantined: 0,
      available: 3,
      alerted: true,
    });
    expect(await inventory.setThreshold(sku, warehouse, 5)).toMatchObject({ alerted: false });
    expect(await inventory.setThreshold(sku, warehouse, 4)).toMatchObject({ alerted: false });
    expect(await alertsOf(sku)).toEqual([{ sku, warehouse, available: 3, onHand: 3, reserved: 0, threshold: 5 }]);
    await inventory.probe.next(LowStockAlertV1, (p) => p.sku === sku);

    // Released stock brings it back above 4 (no alert on the way up); a threshold of 0 never alerts.
    expect(await inventory.setThreshold(sku, warehouse, 0)).toMatchObject({ alerted: false });
    const orderId = anOrderId();
    await inventory.reservedFor(inventory.reserve(aReserveCommand({ orderId, lines: [{ sku, quantity: 3 }] })));
    await inventory.releasedFor(inventory.release({ orderId, reason: 'CUSTOMER_CANCELLED' }));
    expect(await alertsOf(sku)).toHaveLength(1);
    expect(await inventory.ledgerTotals(sku)).toEqual({ onHand: 3, reserved: 0, quarantined: 0 });
  });

  it('sets a threshold for a warehouse without stock of the SKU yet', async () => {
    const sku = anSku();
    const warehouse = aWarehouseCode();
    await inventory.catalogItem(sku);
    await inventory.warehouse(warehouse, 7);
    expect(await inventory.setThreshold(sku, warehouse, 1)).toMatchObject({ onHand: 0, available: 0, alerted: true });
    expect((await inventory.stockOf(sku)).warehouses).toEqual([{ warehouse, onHand: 0, reserved: 0, quarantined: 0, available: 0, lowStockThreshold: 1 }]);
    // Received stock lifts it above; the ledger has only the receipt.
    await inventory.receive(warehouse, [{ sku, quantity: 2 }]);
    expect((await inventory.ledgerOf(sku)).map((e) => e.kind)).toEqual(['receipt']);
    expect(await inventory.ledgerTotals(sku)).toEqual({ onHand: 2, reserved: 0, quarantined: 0 });
  });

  it('refuses invalid thresholds, unknown SKUs and warehouses, and callers without a stock role', async () => {
    const sku = anSku();
    const warehouse = aWarehouseCode();
    await inventory.stocked([{ warehouse, sku, quantity: 1 }]);
    const put = (body: object, caller = INVENTORY_STAFF, path = `/v1/stock/${sku}/warehouses/${warehouse}/low-stock-threshold`) =>
      inventory.http().put(path).set(caller).send(body);
    const fields = (res: { body: { errors?: Array<{ field: string }> } }) => [...new Set((res.body.errors ?? []).map((e) => e.field))];

    for (const body of [{ threshold: -1 }, { threshold: 1.5 }, { threshold: '3' }, {}]) {
      const res = await put(body);
      expect([res.status, res.headers['content-type'], fields(res)]).toEqual([400, expect.stringMatching(/^application\/problem\+json/), ['threshold']]);
    }
    // Well-formed but beyond the bound: 422 AMOUNT_OUT_OF_RANGE, like every quantity.
    const tooHigh = await put({ threshold: 1_000_001 });
    expect([tooHigh.status, tooHigh.body.code, fields(tooHigh)]).toEqual([422, 'AMOUNT_OUT_OF_RANGE', ['threshold']]);
    const unknownField = await put({ threshold: 1, level: 2 });
    expect([unknownField.status, fields(unknownField)]).toEqual([400, ['level']]);
    const badPath = await put({ threshold: 1 }, INVENTORY_STAFF, `/v1/stock/${sku}/warehouses/bad%20code/low-stock-threshold`);
    expect([badPath.status, fields(badPath)]).toEqual([400, ['warehouse']]);

    const unknownSku = await put({ threshold: 1 }, INVENTORY_STAFF, `/v1/stock/${anSku()}/warehouses/${warehouse}/low-stock-threshold`);
    expect(unknownSku.status).toBe(404);
    expect(unknownSku.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(unknownSku.body).toMatchObject({ status: 404, code: 'SKU_UNKNOWN' });
    const unknownWarehouse = await put({ threshold: 1 }, INVENTORY_STAFF, `/v1/stock/${sku}/warehouses/${aWarehouseCode()}/low-stock-threshold`);
    expect(unknownWarehouse.body).toMatchObject({ status: 404, code: 'WAREHOUSE_UNKNOWN' });

    expect((await put({ threshold: 1 }, asStaff(['ops', 'reviewer']))).status).toBe(403);
    expect((await put({ threshold: 1 }, asPlatform('tenant-a'))).status).toBe(403);
    expect((await inventory.http().put(`/v1/stock/${sku}/warehouses/${warehouse}/low-stock-threshold`).send({ threshold: 1 })).status).toBe(401);
    expect((await put({ threshold: 0 }, asStaff(['warehouse']))).status).toBe(200);

    expect((await inventory.stockOf(sku)).warehouses).toEqual([{ warehouse, onHand: 1, reserved: 0, quarantined: 0, available: 1, lowStockThreshold: 0 }]);
    expect(await alertsOf(sku)).toEqual([]);
  });
});
