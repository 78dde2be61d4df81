import { ReserveStockV1, StockReservationRejectedV1, StockReservedV1 } from '@skald/contracts';
import { waitFor } from '@skald/testing';
import { aReserveCommand, anOrderId, anSku, aWarehouseCode } from '../../test/factories.js';
import { InventoryDriver } from '../../test/inventory-driver.js';

describe('reservations under contention (real PostgreSQL and RabbitMQ)', () => {
  let inventory: InventoryDriver;

  beforeAll(async () => {
    // Many handlers in flight at once, each on its own connection (a prefetch above the pool size is
    // refused at start): contention on the rows, and the relay and HTTP share the pool with them.
    inventory = await InventoryDriver.start({ MESSAGING_PREFETCH: '32', DATABASE_POOL_SIZE: '32' });
  });

  afterAll(async () => {
    await inventory?.close();
  });

  it('gives 20 units to exactly 20 of 50 orders racing for them, and rejects the other 30', async () => {
    const sku = anSku('HOT');
    const [a, b] = [aWarehouseCode('A'), aWarehouseCode('B')];
    await inventory.warehouse(a, 1);
    await inventory.warehouse(b, 2);
    await inventory.stocked([
      { warehouse: a, sku, quantity: 12 },
      { warehouse: b, sku, quantity: 8 },
    ]);

    const retriesBefore = await inventory.retries(ReserveStockV1);
    const commands = Array.from({ length: 50 }, () => inventory.reserve(aReserveCommand({ lines: [{ sku, quantity: 1 }] })));
    const orderIds = new Set(commands.map((c) => c.payload.orderId));
    const answered = () => ({
      reserved: inventory.probe.messages(StockReservedV1, (p) => orderIds.has(p.orderId)),
      rejected: inventory.probe.messages(StockReservationRejectedV1, (p) => orderIds.has(p.orderId)),
    });
    const { reserved, rejected } = await waitFor(
      'an answer to each of the 50 orders',
      () => {
        const seen = answered();
        return seen.reserved.length + seen.rejected.length >= 50 ? seen : undefined;
      },
      30_000,
    );

    expect(reserved).toHaveLength(20);
    expect(rejected).toHaveLength(30);
    expect(new Set([...reserved, ...rejected].map((m) => m.payload.orderId))).toEqual(orderIds);
    for (const message of rejected) {
      expect(message.payload).toMatchObject({ reason: 'STOCK_SHORT', shortages: [{ sku, requested: 1, available: 0 }] });
    }
    const perWarehouse = (warehouse: string) =>
      reserved.flatMap((m) => m.payload.reservations).filter((r) => r.warehouse === warehouse).reduce((sum, r) => sum + r.quantity, 0);
    expect([perWarehouse(a), perWarehouse(b)]).toEqual([12, 8]);

    expect(await inventory.stockOf(sku)).toEqual({
      sku,
      warehouses: [
        { warehouse: a, onHand: 12, reserved: 12, quarantined: 0, available: 0, lowStockThreshold: null },
        { warehouse: b, onHand: 8, reserved: 8, quarantined: 0, available: 0, lowStockThreshold: null },
      ],
      totals: { onHand: 20, reserved: 20, quarantined: 0, available: 0 },
    });
    const ledger = await inventory.ledgerOf(sku);
    const reserves = ledger.filter((e) => e.kind === 'reserve');
    expect(reserves).toHaveLength(20);
    expect(reserves.reduce((sum, e) => sum + e.reservedDelta, 0)).toBe(20);
    expect(ledger.reduce((sum, e) => sum + e.onHandDelta, 0)).toBe(20);
    expect(await inventory.invariantViolations()).toEqual([]);
    // The row locks settled the race; the CHECK constraint (the last line of defence) never had to.
    expect(await inventory.retries(ReserveStockV1)).toBe(retriesBefore);
  });

  it('reserves once when copies of the same command race (new message ids, same order)', async () => {
    const sku = anSku();
    await inventory.stocked([{ warehouse: aWarehouseCode(), sku, quantity: 10 }]);
    const orderId = anOrderId();

    const retriesBefore = await inventory.retries(ReserveStockV1);
    const copies = Array.from({ length: 8 }, () => inventory.reserve(aReserveCommand({ orderId, lines: [{ sku, quantity: 3 }] })));
    const replies = await Promise.all(copies.map((copy) => inventory.reservedFor(copy)));

    const first = replies[0].payload;
    for (const reply of replies) expect(reply.payload).toEqual(first);
    expect((await inventory.stockOf(sku)).totals).toEqual({ onHand: 10, reserved: 3, quarantined: 0, available: 7 });
    expect(await inventory.query(`SELECT id FROM reservation WHERE order_id = $1`, [orderId])).toHaveLength(1);
    expect(await inventory.invariantViolations()).toEqual([]);
    // The order lock settled it; a unique-key violation and a retry would have too, less cleanly.
    expect(await inventory.retries(ReserveStockV1)).toBe(retriesBefore);
  });
});
