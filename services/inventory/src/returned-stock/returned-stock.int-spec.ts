import { randomUUID } from 'node:crypto';
import { BackorderAllocatedV1, BookReturnedStockV1, type BookReturnedStock } from '@skald/contracts';
import { aReserveCommand, anOrderId, anSku, aWarehouseCode, placement } from '../../test/factories.js';
import { InventoryDriver } from '../../test/inventory-driver.js';

describe('booking returned stock by grade (real PostgreSQL and RabbitMQ)', () => {
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

  const aBookCommand = (overrides: Partial<BookReturnedStock> & Pick<BookReturnedStock, 'warehouse' | 'lines'>): BookReturnedStock => ({
    returnId: randomUUID(),
    rmaNumber: `RMA-2026-${Math.floor(Math.random() * 1e6)
      .toString()
      .padStart(6, '0')}`,
    orderId: anOrderId(),
    ...overrides,
  });

  const returnEntries = async (sku: string) => (await inventory.ledgerOf(sku)).filter((e) => e.kind.startsWith('return_'));

  it('restocks grade A, quarantines grade B and writes off grade C, each under its own ledger kind, and answers with what was booked', async () => {
    const [tea, cups] = [anSku('TEA'), anSku('CUP')];
    const [main, other] = [aWarehouseCode('MAIN'), aWarehouseCode('OTHER')];
    await inventory.warehouse(main, 1);
    await inventory.stocked([
      { warehouse: main, sku: tea, quantity: 2 },
      { warehouse: other, sku: tea, quantity: 5 },
    ]);
    await inventory.catalogItem(cups);
    const command = aBookCommand({
      warehouse: main,
      lines: [
        { sku: tea, grade: 'B', quantity: 2 },
        { sku: tea, grade: 'A', quantity: 3 },
        { sku: tea, grade: 'C', quantity: 1 },
        { sku: cups, grade: 'B', quantity: 1 },
        { sku: tea, grade: 'A', quantity: 1 },
      ],
    });
    const correlationId = `return-saga-${randomUUID()}`;

    const booked = await inventory.bookedFor(inventory.bookReturnedStock(command, { tenantId: 'tenant-r', correlationId }));

    expect(booked).toMatchObject({ tenantId: 'tenant-r', correlationId });
    // One line per SKU and grade, in SKU then grade order.
    expect(booked.payload).toEqual({
      returnId: command.returnId,
      rmaNumber: command.rmaNumber,
      orderId: command.orderId,
      warehouse: main,
      lines: [
        { sku: cups, grade: 'B', quantity: 1 },
        { sku: tea, grade: 'A', quantity: 4 },
        { sku: tea, grade: 'B', quantity: 2 },
        { sku: tea, grade: 'C', quantity: 1 },
      ],
      bookedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });

    expect(await inventory.stockOf(tea)).toEqual({
      sku: tea,
      warehouses: [
        // 2 received + 4 restocked + 2 quarantined on hand; the quarantined 2 are not available.
        { warehouse: main, onHand: 8, reserved: 0, quarantined: 2, available: 6, lowStockThreshold: null },
        { warehouse: other, onHand: 5, reserved: 0, quarantined: 0, available: 5, lowStockThreshold: null },
      ],
      totals: { onHand: 13, reserved: 0, quarantined: 2, available: 11 },
    });
    expect((await inventory.stockOf(cups)).warehouses).toEqual([
      { warehouse: main, onHand: 1, reserved: 0, quarantined: 1, available: 0, lowStockThreshold: null },
    ]);

    const entries = (await returnEntries(tea)).map((e) => [
      e.kind,
      e.warehouse,
      e.onHandDelta,
      e.reservedDelta,
      e.quarantinedDelta,
      e.writtenOff,
      e.onHandAfter,
      e.quarantinedAfter,
      e.orderId,
      e.reference,
    ]);
    expect(entries).toEqual([
      ['return_restocked', main, 4, 0, 0, 0, 6, 0, command.orderId, command.returnId],
      ['return_quarantined', main, 2, 0, 2, 0, 8, 2, command.orderId, command.returnId],
      ['return_written_off', main, 0, 0, 0, 1, 8, 2, command.orderId, command.returnId],
    ]);
    expect((await returnEntries(cups)).map((e) => [e.kind, e.onHandDelta, e.quarantinedDelta])).toEqual([['return_quarantined', 1, 1]]);
    expect(await inventory.ledgerTotals(tea)).toEqual({ onHand: 13, reserved: 0, quarantined: 2 });
  });

  it('answers a re-sent command with the first booking and books nothing twice, also when both copies arrive at once', async () => {
    const sku = anSku();
    const warehouse = aWarehouseCode();
    await inventory.stocked([{ warehouse, sku, quantity: 1 }]);
    const command = aBookCommand({
      warehouse,
      lines: [
        { sku, grade: 'A', quantity: 2 },
        { sku, grade: 'B', quantity: 1 },
        { sku, grade: 'C', quantity: 1 },
      ],
    });

    // Two copies under their own message ids, as a saga re-sending on a timeout sends them.
    const [first, second] = [inventory.bookReturnedStock(command), inventory.bookReturnedStock(command)];
    const [a, b] = await Promise.all([inventory.bookedFor(first), inventory.bookedFor(second)]);
    expect(a.payload).toEqual(b.payload);
    const later = await inventory.bookedFor(inventory.bookReturnedStock({ ...command, lines: [{ sku, grade: 'A', quantity: 9 }] }));
    expect(later.payload).toEqual(a.payload);

    expect(await returnEntries(sku)).toHaveLength(3);
    expect((await inventory.stockOf(sku)).totals).toEqual({ onHand: 4, reserved: 0, quarantined: 1, available: 3 });
    expect(await inventory.query(`SELECT outcome FROM returned_stock_booking WHERE return_id = $1`, [command.returnId])).toEqual([{ outcome: 'booked' }]);
  });

  it('refuses an SKU not in the catalog or an unknown warehouse with a refusal event, books nothing, and keeps the refusal for a re-send', async () => {
    const [known, unknown] = [anSku('KNOWN'), anSku('UNKNOWN')];
    const warehouse = aWarehouseCode();
    await inventory.stocked([{ warehouse, sku: known, quantity: 1 }]);

    const unknownSku = aBookCommand({
      warehouse,
      lines: [
        { sku: known, grade: 'A', quantity: 1 },
        { sku: unknown, grade: 'C', quantity: 1 },
      ],
    });
    const refused = await inventory.refusedFor(inventory.bookReturnedStock(unknownSku));
    expect(refused.payload).toEqual({ returnId: unknownSku.returnId, code: 'SKU_UNKNOWN', reason: `Not in the catalog: ${unknown}.` });

    const nowhere = aWarehouseCode('NOWHERE');
    const unknownWarehouse = aBookCommand({ warehouse: nowhere, lines: [{ sku: known, grade: 'A', quantity: 1 }] });
    expect((await inventory.refusedFor(inventory.bookReturnedStock(unknownWarehouse))).payload).toEqual({
      returnId: unknownWarehouse.returnId,
      code: 'WAREHOUSE_UNKNOWN',
      reason: `No warehouse ${nowhere}.`,
    });

    // The SKU is in the catalog now, but the return was refused: a re-send gets the same refusal.
    await inventory.catalogItem(unknown);
    expect((await inventory.refusedFor(inventory.bookReturnedStock(unknownSku))).payload).toEqual(refused.payload);

    expect(await returnEntries(known)).toEqual([]);
    expect((await inventory.stockOf(known)).totals).toEqual({ onHand: 1, reserved: 0, quarantined: 0, available: 1 });
    expect(await inventory.query(`SELECT warehouse FROM stock_level WHERE warehouse = $1`, [nowhere])).toEqual([]);
    expect(await inventory.query(`SELECT sku FROM stock_level WHERE sku = $1`, [unknown])).toEqual([]);
  });

  it('never reserves quarantined units, nor gives them to waiting orders', async () => {
    const sku = anSku();
    const warehouse = aWarehouseCode();
    await inventory.stocked([{ warehouse, sku, quantity: 1 }]);
    await inventory.bookedFor(inventory.bookReturnedStock(aBookCommand({ warehouse, lines: [{ sku, grade: 'B', quantity: 5 }] })));
    expect((await inventory.stockOf(sku)).totals).toEqual({ onHand: 6, reserved: 0, quarantined: 5, available: 1 });

    const tooMuch = await inventory.rejectedFor(inventory.reserve(aReserveCommand({ lines: [{ sku, quantity: 2 }] })));
    expect(tooMuch.payload).toMatchObject({ reason: 'STOCK_SHORT', shortages: [{ sku, requested: 2, available: 1 }] });

    const waiting = inventory.reserve(aReserveCommand({ lines: [{ sku, quantity: 3 }], onShortage: 'backorder' }));
    const reply = await inventory.reservedFor(waiting);
    expect(reply.payload.reservations.map(placement)).toEqual([[sku, warehouse, 1]]);
    expect(reply.payload.backordered).toEqual([{ sku, quantity: 2 }]);

    // More damaged units come back: still nothing for the waiting order.
    await inventory.bookedFor(inventory.bookReturnedStock(aBookCommand({ warehouse, lines: [{ sku, grade: 'B', quantity: 2 }] })));
    expect((await inventory.stockOf(sku)).totals).toEqual({ onHand: 8, reserved: 1, quarantined: 7, available: 0 });
    expect(await inventory.outbox(BackorderAllocatedV1, (p) => p.orderId === waiting.payload.orderId)).toEqual([]);
    const alsoShort = await inventory.rejectedFor(inventory.reserve(aReserveCommand({ lines: [{ sku, quantity: 1 }] })));
    expect(alsoShort.payload.shortages).toEqual([{ sku, requested: 1, available: 0 }]);
  });

  it('gives restocked units to the orders waiting for the SKU, first come, first served, like received stock', async () => {
    const sku = anSku();
    const [main, spare] = [aWarehouseCode('MAIN'), aWarehouseCode('SPARE')];
    await inventory.warehouse(main, 1);
    await inventory.warehouse(spare, 2);
    await inventory.catalogItem(sku);
    const correlationId = `saga-${randomUUID()}`;
    const first = inventory.reserve(aReserveCommand({ lines: [{ sku, quantity: 2 }], onShortage: 'backorder' }), { tenantId: 'tenant-a', correlationId });
    expect((await inventory.reservedFor(first)).payload).toMatchObject({ reservations: [], backordered: [{ sku, quantity: 2 }] });
    const second = inventory.reserve(aReserveCommand({ lines: [{ sku, quantity: 2 }], onShortage: 'backorder' }));
    await inventory.reservedFor(second);

    const booked = await inventory.bookedFor(
      inventory.bookReturnedStock(
        aBookCommand({
          warehouse: spare,
          lines: [
            { sku, grade: 'A', quantity: 3 },
            { sku, grade: 'B', quantity: 4 },
          ],
        }),
      ),
    );
    expect(booked.payload.lines).toEqual([
      { sku, grade: 'A', quantity: 3 },
      { sku, grade: 'B', quantity: 4 },
    ]);

    const firstFill = await inventory.probe.next(BackorderAllocatedV1, (p) => p.orderId === first.payload.orderId);
    expect(firstFill).toMatchObject({ tenantId: 'tenant-a', correlationId });
    expect(firstFill.payload).toMatchObject({ backordered: [], attempt: 1 });
    expect(firstFill.payload.reservations.map(placement)).toEqual([[sku, spare, 2]]);
    const secondFill = await inventory.probe.next(BackorderAllocatedV1, (p) => p.orderId === second.payload.orderId);
    expect(secondFill.payload.reservations.map(placement)).toEqual([[sku, spare, 1]]);
    expect(secondFill.payload.backordered).toEqual([{ sku, quantity: 1 }]);
    expect((await inventory.stockOf(sku)).totals).toEqual({ onHand: 7, reserved: 3, quarantined: 4, available: 0 });
  });

  it.each([
    ['a grade that is not A, B or C', { grade: 'D' }],
    ['a zero quantity', { quantity: 0 }],
  ])('dead-letters a command with %s and books nothing', async (_what, lineOverrides) => {
    const sku = anSku();
    const warehouse = aWarehouseCode();
    await inventory.stocked([{ warehouse, sku, quantity: 1 }]);
    const command = aBookCommand({ warehouse, lines: [{ sku, grade: 'A', quantity: 1, ...lineOverrides } as BookReturnedStock['lines'][number]] });

    const letter = await inventory.deadLettered(inventory.bookReturnedStock(command));

    expect(letter.reason).toBe('INVALID_PAYLOAD');
    expect(await returnEntries(sku)).toEqual([]);
    expect(await inventory.query(`SELECT return_id FROM returned_stock_booking WHERE return_id = $1`, [command.returnId])).toEqual([]);
  });

  it('dead-letters a command whose return id is not a UUID', async () => {
    const command = { ...aBookCommand({ warehouse: aWarehouseCode(), lines: [{ sku: anSku(), grade: 'A', quantity: 1 }] }), returnId: 'RMA-1' };
    const letter = await inventory.deadLettered(inventory.probe.publish(BookReturnedStockV1, command));
    expect(letter).toMatchObject({ reason: 'INVALID_PAYLOAD', detail: expect.stringContaining('returnId') });
  });
});
