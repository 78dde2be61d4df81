import { randomUUID } from 'node:crypto';
import { StockReservedV1 } from '@skald/contracts';
import { aReserveCommand, anOrderId, anSku, aWarehouseCode } from '../../test/factories.js';
import { InventoryDriver } from '../../test/inventory-driver.js';

describe('reserving stock for an order (real PostgreSQL and RabbitMQ)', () => {
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

  it('splits a line over warehouses by priority, sums repeated SKUs, and records every reservation in the ledger', async () => {
    const [tea, cups] = [anSku('TEA'), anSku('CUP')];
    const [near, far] = [aWarehouseCode('NEAR'), aWarehouseCode('FAR')];
    await inventory.warehouse(far, 20);
    await inventory.warehouse(near, 10);
    await inventory.stocked([
      { warehouse: far, sku: tea, quantity: 10 },
      { warehouse: near, sku: tea, quantity: 4 },
      { warehouse: far, sku: cups, quantity: 5 },
    ]);
    const correlationId = `saga-${randomUUID()}`;
    const command = inventory.reserve(
      aReserveCommand({
        lines: [
          { sku: tea, quantity: 3 },
          { sku: cups, quantity: 2 },
          { sku: tea, quantity: 3 },
        ],
      }),
      { tenantId: 'tenant-7', correlationId },
    );
    const { orderId } = command.payload;

    const reserved = await inventory.reservedFor(command);
    expect(reserved).toMatchObject({ tenantId: 'tenant-7', correlationId, causationId: command.id });
    expect(reserved.payload.orderId).toBe(orderId);
    const byPlace = (r: { warehouse: string; sku: string; quantity: number }) => [r.sku, r.warehouse, r.quantity];
    expect(reserved.payload.reservations.map(byPlace)).toEqual(
      expect.arrayContaining([
        [tea, near, 4],
        [tea, far, 2],
        [cups, far, 2],
      ]),
    );
    expect(reserved.payload.reservations).toHaveLength(3);

    expect(await inventory.stockOf(tea)).toEqual({
      sku: tea,
      warehouses: [
        { warehouse: near, onHand: 4, reserved: 4, quarantined: 0, available: 0, lowStockThreshold: null },
        { warehouse: far, onHand: 10, reserved: 2, quarantined: 0, available: 8, lowStockThreshold: null },
      ],
      totals: { onHand: 14, reserved: 6, quarantined: 0, available: 8 },
    });
    expect((await inventory.stockOf(cups)).totals).toEqual({ onHand: 5, reserved: 2, quarantined: 0, available: 3 });

    const reserveEntries = (await inventory.ledgerOf(tea)).filter((e) => e.kind === 'reserve');
    const reservationIdAt = (warehouse: string) =>
      reserved.payload.reservations.find((r) => r.sku === tea && r.warehouse === warehouse)?.reservationId;
    expect(reserveEntries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          warehouse: near,
          onHandDelta: 0,
          reservedDelta: 4,
          onHandAfter: 4,
          reservedAfter: 4,
          orderId,
          reference: reservationIdAt(near),
        }),
        expect.objectContaining({
          warehouse: far,
          onHandDelta: 0,
          reservedDelta: 2,
          onHandAfter: 10,
          reservedAfter: 2,
          orderId,
          reference: reservationIdAt(far),
        }),
      ]),
    );
    expect(reserveEntries).toHaveLength(2);
    const rows = await inventory.query(`SELECT status, tenant_id FROM reservation WHERE order_id = $1`, [orderId]);
    expect(rows).toEqual(Array(3).fill({ status: 'active', tenant_id: 'tenant-7' }));
  });

  it('rejects an order it cannot fully cover with the shortages, and reserves nothing at all', async () => {
    const [short, plenty] = [anSku('SHORT'), anSku('PLENTY')];
    const [a, b] = [aWarehouseCode(), aWarehouseCode()];
    await inventory.stocked([
      { warehouse: a, sku: short, quantity: 2 },
      { warehouse: b, sku: short, quantity: 1 },
      { warehouse: a, sku: plenty, quantity: 10 },
    ]);

    const command = inventory.reserve(aReserveCommand({ lines: [{ sku: plenty, quantity: 1 }, { sku: short, quantity: 5 }] }));
    const rejected = await inventory.rejectedFor(command);

    expect(rejected.payload).toEqual({
      orderId: command.payload.orderId,
      reason: 'STOCK_SHORT',
      shortages: [{ sku: short, requested: 5, available: 3 }],
    });
    expect((await inventory.stockOf(plenty)).totals).toEqual({ onHand: 10, reserved: 0, quarantined: 0, available: 10 });
    expect((await inventory.stockOf(short)).totals).toEqual({ onHand: 3, reserved: 0, quarantined: 0, available: 3 });
    expect((await inventory.ledgerOf(plenty)).filter((e) => e.kind !== 'receipt')).toEqual([]);
    expect(await inventory.query(`SELECT id FROM reservation WHERE order_id = $1`, [command.payload.orderId])).toEqual([]);
    expect(inventory.probe.messages(StockReservedV1, (p) => p.orderId === command.payload.orderId)).toEqual([]);
  });

  it('rejects SKUs that are not in the catalog, or not sellable, before looking at stock', async () => {
    const [unsellable, stocked] = [anSku('OLD'), anSku()];
    const warehouse = aWarehouseCode();
    await inventory.stocked([
      { warehouse, sku: unsellable, quantity: 5 },
      { warehouse, sku: stocked, quantity: 5 },
    ]);
    await inventory.catalogItem(unsellable, { sellable: false });
    const missing = anSku('NOPE');

    const unknownCommand = inventory.reserve(
      aReserveCommand({
        lines: [
          { sku: stocked, quantity: 1 },
          { sku: missing, quantity: 2 },
          { sku: unsellable, quantity: 1 },
        ],
      }),
    );
    expect((await inventory.rejectedFor(unknownCommand)).payload).toMatchObject({
      reason: 'SKU_UNKNOWN',
      shortages: [{ sku: missing, requested: 2, available: 0 }],
    });
    const unsellableCommand = inventory.reserve(
      aReserveCommand({
        lines: [
          { sku: stocked, quantity: 1 },
          { sku: unsellable, quantity: 1 },
        ],
      }),
    );
    expect((await inventory.rejectedFor(unsellableCommand)).payload).toMatchObject({
      reason: 'SKU_NOT_SELLABLE',
      shortages: [{ sku: unsellable, requested: 1, available: 0 }],
    });
    expect((await inventory.stockOf(stocked)).totals.reserved).toBe(0);
    expect((await inventory.stockOf(unsellable)).totals.reserved).toBe(0);
  });

  it('answers a re-sent command with the first decision and changes nothing', async () => {
    const sku = anSku();
    const warehouse = aWarehouseCode();
    await inventory.stocked([{ warehouse, sku, quantity: 3 }]);
    const orderId = anOrderId();

    const first = inventory.reserve(aReserveCommand({ orderId, lines: [{ sku, quantity: 2 }] }));
    const firstReply = await inventory.reservedFor(first);
    const again = inventory.reserve(aReserveCommand({ orderId, lines: [{ sku, quantity: 2 }] }));
    const againReply = await inventory.reservedFor(again);

    expect(againReply.payload).toEqual(firstReply.payload);
    expect((await inventory.stockOf(sku)).totals).toEqual({ onHand: 3, reserved: 2, quarantined: 0, available: 1 });
    expect((await inventory.ledgerOf(sku)).filter((e) => e.kind === 'reserve')).toHaveLength(1);

    // A rejected order stays rejected, even once stock has arrived: the saga has acted on it.
    const shortOrder = anOrderId();
    const rejectedFirst = inventory.reserve(aReserveCommand({ orderId: shortOrder, lines: [{ sku, quantity: 5 }] }));
    const rejection = await inventory.rejectedFor(rejectedFirst);
    await inventory.receive(warehouse, [{ sku, quantity: 10 }]);
    const rejectedAgain = inventory.reserve(aReserveCommand({ orderId: shortOrder, lines: [{ sku, quantity: 5 }] }));
    expect((await inventory.rejectedFor(rejectedAgain)).payload).toEqual(rejection.payload);
    expect((await inventory.stockOf(sku)).totals).toEqual({ onHand: 13, reserved: 2, quarantined: 0, available: 11 });
  });
});
