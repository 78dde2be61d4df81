import { randomUUID } from 'node:crypto';
import { BackorderAllocatedV1, ReserveStockV1, StockReservationRejectedV1, StockReservedV1 } from '@skald/contracts';
import { waitFor } from '@skald/testing';
import { aReserveCommand, anOrderId, anSku, aWarehouseCode, placement } from '../../test/factories.js';
import { InventoryDriver } from '../../test/inventory-driver.js';
import { CatalogItem } from '../catalog/catalog-item.entity.js';
import { CatalogRepository } from '../catalog/catalog.repository.js';
import { StockLevelRepository } from '../stock/stock-level.repository.js';
import { BackorderLine, ReleasedOrder } from './backorder-line.entity.js';
import { BackorderRepository } from './backorder.repository.js';
import { Reservation, ReservationRequest } from './reservation.entity.js';
import { ReservationRepository } from './reservation.repository.js';

describe('stock shortage: backorders, taking what is available, attempts (real PostgreSQL and RabbitMQ)', () => {
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

  it('backorders what is short, then serves waiting orders from a receipt first come, first served (oldest first, partly)', async () => {
    const [tea, cups] = [anSku('TEA'), anSku('CUP')];
    const [main, spare] = [aWarehouseCode('MAIN'), aWarehouseCode('SPARE')];
    await inventory.warehouse(main, 1);
    await inventory.warehouse(spare, 2);
    await inventory.stocked([
      { warehouse: main, sku: tea, quantity: 3 },
      { warehouse: main, sku: cups, quantity: 10 },
    ]);

    const correlationId = `saga-${randomUUID()}`;
    const first = inventory.reserve(
      aReserveCommand({ lines: [{ sku: tea, quantity: 5 }, { sku: cups, quantity: 2 }], onShortage: 'backorder' }),
      { tenantId: 'tenant-a', correlationId },
    );
    const firstReply = await inventory.reservedFor(first);
    expect(firstReply.payload.attempt).toBe(1);
    expect(firstReply.payload.reservations.map(placement)).toEqual([
      [cups, main, 2],
      [tea, main, 3],
    ]);
    expect(firstReply.payload.backordered).toEqual([{ sku: tea, quantity: 2 }]);
    expect(firstReply.payload.unavailable).toBeUndefined();

    // Nothing left: the second order waits for all of it, the third for some.
    const second = inventory.reserve(aReserveCommand({ lines: [{ sku: tea, quantity: 4 }], onShortage: 'backorder' }), { tenantId: 'tenant-b' });
    expect((await inventory.reservedFor(second)).payload).toMatchObject({ reservations: [], backordered: [{ sku: tea, quantity: 4 }] });
    const third = inventory.reserve(aReserveCommand({ lines: [{ sku: tea, quantity: 1 }], onShortage: 'backorder' }));
    await inventory.reservedFor(third);
    expect((await inventory.stockOf(tea)).totals).toEqual({ onHand: 3, reserved: 3, quarantined: 0, available: 0 });

    // 4 arrive in the spare warehouse: 2 complete the first order, 2 go to the second (still waiting for 2), none to the third.
    await inventory.receive(spare, [{ sku: tea, quantity: 4 }]);
    const firstFill = await inventory.probe.next(BackorderAllocatedV1, (p) => p.orderId === first.payload.orderId);
    expect(firstFill).toMatchObject({ tenantId: 'tenant-a', correlationId });
    expect(firstFill.payload.reservations.map(placement)).toEqual([[tea, spare, 2]]);
    expect(firstFill.payload).toMatchObject({ backordered: [], attempt: 1 });
    const secondFill = await inventory.probe.next(BackorderAllocatedV1, (p) => p.orderId === second.payload.orderId);
    expect(secondFill).toMatchObject({ tenantId: 'tenant-b', correlationId: second.correlationId });
    expect(secondFill.payload.reservations.map(placement)).toEqual([[tea, spare, 2]]);
    expect(secondFill.payload.backordered).toEqual([{ sku: tea, quantity: 2 }]);
    expect(await inventory.outbox(BackorderAllocatedV1, (p) => p.orderId === third.payload.orderId)).toEqual([]);

    expect((await inventory.stockOf(tea)).totals).toEqual({ onHand: 7, reserved: 7, quarantined: 0, available: 0 });
    expect(await inventory.ledgerTotals(tea)).toEqual({ onHand: 7, reserved: 7, quarantined: 0 });
    const fromBackorder = (await inventory.ledgerOf(tea)).filter((e) => e.kind === 'reserve' && e.warehouse === spare);
    expect(fromBackorder.map((e) => [e.orderId, e.reservedDelta, e.reference])).toEqual([
      [first.payload.orderId, 2, firstFill.payload.reservations[0].reservationId],
      [second.payload.orderId, 2, secondFill.payload.reservations[0].reservationId],
    ]);
    const lines = await inventory.query(
      `SELECT order_id, quantity, allocated, status FROM backorder_line WHERE sku = $1 ORDER BY id`,
      [tea],
    );
    expect(lines).toEqual([
      { order_id: first.payload.orderId, quantity: 2, allocated: 2, status: 'filled' },
      { order_id: second.payload.orderId, quantity: 4, allocated: 2, status: 'waiting' },
      { order_id: third.payload.orderId, quantity: 1, allocated: 0, status: 'waiting' },
    ]);

    // The next receipt completes the second order, then serves the third, and 1 unit stays free.
    await inventory.receive(main, [{ sku: tea, quantity: 4 }]);
    const secondDone = await inventory.probe.next(
      BackorderAllocatedV1,
      (p) => p.orderId === second.payload.orderId && p.backordered.length === 0,
    );
    expect(secondDone.payload.reservations.map(placement)).toEqual([[tea, main, 2]]);
    const thirdFill = await inventory.probe.next(BackorderAllocatedV1, (p) => p.orderId === third.payload.orderId);
    expect(thirdFill.payload).toMatchObject({ backordered: [] });
    expect((await inventory.stockOf(tea)).totals).toEqual({ onHand: 11, reserved: 10, quarantined: 0, available: 1 });
    expect(await inventory.ledgerTotals(tea)).toEqual({ onHand: 11, reserved: 10, quarantined: 0 });

    // A re-sent reserve of the first order answers with its decision as it stands now: all reserved, nothing waiting.
    const again = inventory.reserve(aReserveCommand({ orderId: first.payload.orderId, lines: first.payload.lines, onShortage: 'backorder' }));
    const againReply = await inventory.reservedFor(again);
    expect(againReply.payload.reservations.map(placement)).toEqual([
      [cups, main, 2],
      [tea, main, 3],
      [tea, spare, 2],
    ]);
    expect(againReply.payload.backordered).toEqual([]);
  });

  it('takes what is available and gives up the rest; with nothing available at all it rejects', async () => {
    const [tea, cups] = [anSku('TEA'), anSku('CUP')];
    const warehouse = aWarehouseCode();
    await inventory.stocked([
      { warehouse, sku: tea, quantity: 2 },
      { warehouse, sku: cups, quantity: 5 },
    ]);

    const command = inventory.reserve(
      aReserveCommand({ lines: [{ sku: tea, quantity: 3 }, { sku: cups, quantity: 5 }], onShortage: 'take_available' }),
    );
    const reply = await inventory.reservedFor(command);
    expect(reply.payload.reservations.map(placement)).toEqual([
      [cups, warehouse, 5],
      [tea, warehouse, 2],
    ]);
    expect(reply.payload.unavailable).toEqual([{ sku: tea, quantity: 1 }]);
    expect(reply.payload.backordered).toBeUndefined();
    expect(await inventory.query(`SELECT id FROM backorder_line WHERE order_id = $1`, [command.payload.orderId])).toEqual([]);

    // Nothing waits: a receipt serves nobody.
    await inventory.receive(warehouse, [{ sku: tea, quantity: 1 }]);
    expect((await inventory.stockOf(tea)).totals).toEqual({ onHand: 3, reserved: 2, quarantined: 0, available: 1 });
    expect(await inventory.outbox(BackorderAllocatedV1, (p) => p.orderId === command.payload.orderId)).toEqual([]);

    // Replayed as first decided.
    const again = inventory.reserve(aReserveCommand({ orderId: command.payload.orderId, lines: command.payload.lines, onShortage: 'take_available' }));
    expect((await inventory.reservedFor(again)).payload).toEqual(reply.payload);

    const nothing = inventory.reserve(aReserveCommand({ lines: [{ sku: cups, quantity: 1 }], onShortage: 'take_available' }));
    expect((await inventory.rejectedFor(nothing)).payload).toMatchObject({
      reason: 'STOCK_SHORT',
      shortages: [{ sku: cups, requested: 1, available: 0 }],
    });
    expect(await inventory.ledgerTotals(cups)).toEqual({ onHand: 5, reserved: 5, quarantined: 0 });
  });

  it('rejects unknown and unsellable SKUs whatever the shortage mode', async () => {
    const [stocked, unsellable, missing] = [anSku(), anSku('OLD'), anSku('NOPE')];
    const warehouse = aWarehouseCode();
    await inventory.stocked([
      { warehouse, sku: stocked, quantity: 5 },
      { warehouse, sku: unsellable, quantity: 5 },
    ]);
    await inventory.catalogItem(unsellable, { sellable: false });
    const unknown = inventory.reserve(
      aReserveCommand({ lines: [{ sku: stocked, quantity: 1 }, { sku: missing, quantity: 2 }], onShortage: 'backorder' }),
    );
    expect((await inventory.rejectedFor(unknown)).payload).toMatchObject({ reason: 'SKU_UNKNOWN', shortages: [{ sku: missing }] });
    const notSellable = inventory.reserve(aReserveCommand({ lines: [{ sku: unsellable, quantity: 1 }], onShortage: 'take_available' }));
    expect((await inventory.rejectedFor(notSellable)).payload).toMatchObject({ reason: 'SKU_NOT_SELLABLE' });
    expect((await inventory.stockOf(stocked)).totals.reserved).toBe(0);
    expect(await inventory.query(`SELECT id FROM backorder_line WHERE order_id = $1`, [unknown.payload.orderId])).toEqual([]);
  });

  it('decides each attempt once: a re-sent attempt replays, a new attempt is decided anew and ends the earlier backorder', async () => {
    const sku = anSku();
    const warehouse = aWarehouseCode();
    await inventory.stocked([{ warehouse, sku, quantity: 2 }]);
    const orderId = anOrderId();

    // Attempt 1 (all or nothing) is rejected...
    const firstAttempt = inventory.reserve(aReserveCommand({ orderId, lines: [{ sku, quantity: 3 }] }));
    const rejection = await inventory.rejectedFor(firstAttempt);
    expect(rejection.payload.reason).toBe('STOCK_SHORT');
    // ...attempt 2 backorders, and a re-sent attempt 1 still gets its rejection.
    const secondAttempt = inventory.reserve(aReserveCommand({ orderId, lines: [{ sku, quantity: 3 }], onShortage: 'backorder', attempt: 2 }));
    const secondReply = await inventory.reservedFor(secondAttempt);
    expect(secondReply.payload).toMatchObject({ attempt: 2, backordered: [{ sku, quantity: 1 }] });
    expect(secondReply.payload.reservations.map(placement)).toEqual([[sku, warehouse, 2]]);
    const firstAgain = inventory.reserve(aReserveCommand({ orderId, lines: [{ sku, quantity: 3 }], attempt: 1 }));
    expect((await inventory.rejectedFor(firstAgain)).payload).toEqual(rejection.payload);

    // Attempt 3 (after, say, the saga released attempt 2's reservations) supersedes attempt 2's waiting line.
    const thirdAttempt = inventory.reserve(aReserveCommand({ orderId, lines: [{ sku, quantity: 1 }], onShortage: 'backorder', attempt: 3 }));
    expect((await inventory.reservedFor(thirdAttempt)).payload).toMatchObject({ attempt: 3, reservations: [], backordered: [{ sku, quantity: 1 }] });
    expect(
      await inventory.query(`SELECT attempt, status, settled_reference FROM backorder_line WHERE order_id = $1 ORDER BY id`, [orderId]),
    ).toEqual([
      { attempt: 2, status: 'ended', settled_reference: 'superseded:attempt-3' },
      { attempt: 3, status: 'waiting', settled_reference: null },
    ]);
    // A re-sent attempt 2 gets its decision as it stands: its reservation, and no line waiting any more.
    const secondAgain = inventory.reserve(aReserveCommand({ orderId, lines: [{ sku, quantity: 3 }], onShortage: 'backorder', attempt: 2 }));
    const secondAgainReply = await inventory.reservedFor(secondAgain);
    expect(secondAgainReply.payload).toMatchObject({ attempt: 2, backordered: [] });
    expect(secondAgainReply.payload.reservations).toEqual(secondReply.payload.reservations);
    // An attempt never decided, arriving after a later one was, is stale: not decided, not answered.
    const otherOrder = anOrderId();
    await inventory.reservedFor(inventory.reserve(aReserveCommand({ orderId: otherOrder, lines: [{ sku, quantity: 1 }], onShortage: 'backorder', attempt: 2 })));
    const stale = inventory.reserve(aReserveCommand({ orderId: otherOrder, lines: [{ sku, quantity: 1 }], attempt: 1 }));
    await inventory.processed(stale);
    expect(await inventory.query(`SELECT attempt FROM reservation_request WHERE order_id = $1`, [otherOrder])).toEqual([{ attempt: 2 }]);
    expect(await inventory.outbox(StockReservationRejectedV1, (p) => p.orderId === otherOrder)).toEqual([]);
    expect(await inventory.outbox(StockReservedV1, (p) => p.orderId === otherOrder)).toHaveLength(1);

    // The first in the queue is attempt 3 of the order (the other order queued after it).
    await inventory.receive(warehouse, [{ sku, quantity: 1 }]);
    const fill = await inventory.probe.next(BackorderAllocatedV1, (p) => p.orderId === orderId);
    expect(fill.payload).toMatchObject({ attempt: 3, backordered: [] });
    expect(await inventory.outbox(BackorderAllocatedV1, (p) => p.orderId === otherOrder)).toEqual([]);
    const rows = await inventory.reservationsOf(orderId);
    expect(rows.map((r) => [r.attempt, r.quantity, r.status])).toEqual(
      expect.arrayContaining([
        [2, 2, 'active'],
        [3, 1, 'active'],
      ]),
    );
    expect(await inventory.ledgerTotals(sku)).toEqual({ onHand: 3, reserved: 3, quarantined: 0 });
  });

  it('never hands out a unit twice when receipts race backorder reserves', async () => {
    const sku = anSku('HOT');
    const [a, b] = [aWarehouseCode('A'), aWarehouseCode('B')];
    await inventory.catalogItem(sku);
    const retriesBefore = await inventory.retries(ReserveStockV1);

    // 30 orders of 1 backorder while 4 receipts of 5 arrive in two warehouses (one new): 20 units for 30 units of demand.
    const commands = Array.from({ length: 30 }, () => inventory.reserve(aReserveCommand({ lines: [{ sku, quantity: 1 }], onShortage: 'backorder' })));
    await Promise.all([a, b, a, b].map((warehouse) => inventory.receive(warehouse, [{ sku, quantity: 5 }])));
    const orderIds = new Set(commands.map((c) => c.payload.orderId));
    await waitFor('an answer to each of the 30 orders', () => inventory.probe.messages(StockReservedV1, (p) => orderIds.has(p.orderId)).length >= 30, 30_000);
    expect(inventory.probe.messages(StockReservationRejectedV1, (p) => orderIds.has(p.orderId))).toEqual([]);

    const reserved = await inventory.query<{ total: number; orders: number }>(
      `SELECT COALESCE(sum(quantity), 0)::int AS total, count(DISTINCT order_id)::int AS orders FROM reservation WHERE sku = $1 AND status = 'active'`,
      [sku],
    );
    expect(reserved).toEqual([{ total: 20, orders: 20 }]);
    const waiting = await inventory.query<{ total: number }>(
      `SELECT COALESCE(sum(quantity - allocated), 0)::int AS total FROM backorder_line WHERE sku = $1 AND status = 'waiting'`,
      [sku],
    );
    expect(waiting).toEqual([{ total: 10 }]);
    expect((await inventory.stockOf(sku)).totals).toEqual({ onHand: 20, reserved: 20, quarantined: 0, available: 0 });
    expect(await inventory.ledgerTotals(sku)).toEqual({ onHand: 20, reserved: 20, quarantined: 0 });
    expect(await inventory.retries(ReserveStockV1)).toBe(retriesBefore);
  });

  /**
   * The reads a reserve, consume or release command runs are plain SQL: their rows come back as
   * TypeORM hydrates the entities (same class, properties and types: bigint and numeric as strings,
   * jsonb parsed, timestamptz as Date), and the other rows with exactly their interface's properties.
   */
  it('reservations, reserve decisions, release tombstones, backorder lines, catalog items, stock levels, the expiry claim', async () => {
    const [tea, main] = [anSku('TEA'), aWarehouseCode('MAIN')];
    await inventory.warehouse(main, 1);
    await inventory.stocked([{ warehouse: main, sku: tea, quantity: 3 }]);
    const holdUntil = new Date(Date.now() + 3_600_000);
    const command = inventory.reserve(aReserveCommand({ lines: [{ sku: tea, quantity: 5 }], onShortage: 'backorder', holdUntil: holdUntil.toISOString() }), {
      tenantId: 'tenant-rows',
      correlationId: 'saga-rows',
    });
    await inventory.reservedFor(command);
    const { orderId } = command.payload;
    const app = inventory.sut.app;
    const [reservations, backorders, catalog, levels] = [app.get(ReservationRepository), app.get(BackorderRepository), app.get(CatalogRepository), app.get(StockLevelRepository)];
    const rollback = new Error('rolled back: the claim and the tombstone were the test’s own');

    const checks = inventory.sut.dataSource.transaction(async (manager) => {
      const active = await manager.find(Reservation, { where: { orderId, status: 'active' }, order: { sku: 'ASC', warehouse: 'ASC', createdAt: 'ASC', id: 'ASC' } });
      expect(active).toHaveLength(1);
      expect(await reservations.activeOfOrder(manager, orderId)).toStrictEqual(active);
      expect(await reservations.activeOfOrder(manager, orderId, 1)).toStrictEqual(active);
      expect(await reservations.lockActiveOfOrder(manager, orderId)).toStrictEqual(active);
      expect(await reservations.lockActive(manager, orderId, main, tea)).toStrictEqual(active);

      const request = await manager.findOneByOrFail(ReservationRequest, { orderId, attempt: 1 });
      expect(request.holdUntil).toEqual(holdUntil);
      expect(await reservations.decisionState(manager, orderId, 1)).toStrictEqual({ released: null, request, latestAttempt: 1 });
      expect(await reservations.decisionState(manager, orderId, 2)).toStrictEqual({ released: null, request: null, latestAttempt: 1 });

      const waiting = await manager.find(BackorderLine, { where: { orderId, status: 'waiting' }, order: { sku: 'ASC', id: 'ASC' } });
      expect(waiting).toHaveLength(1);
      expect(await backorders.waitingOfOrder(manager, orderId)).toStrictEqual(waiting);
      expect(await backorders.lockQueue(manager, [tea])).toStrictEqual([
        { id: waiting[0].id, orderId, attempt: 1, tenantId: 'tenant-rows', sku: tea, waiting: 2, correlationId: 'saga-rows', holdUntil },
      ]);

      expect(await catalog.findMany(manager, [tea, anSku('UNKNOWN')])).toStrictEqual(await manager.findBy(CatalogItem, { sku: tea }));

      const level = { sku: tea, warehouse: main, priority: 1, onHand: 3, reserved: 3, quarantined: 0 };
      expect(await levels.lockAllOf(manager, [tea])).toStrictEqual([level]);
      expect(await levels.lockIn(manager, main, [tea])).toStrictEqual([level]);
      expect(await levels.levelsOf(tea, manager)).toStrictEqual([{ ...level, lowStockThreshold: null }]);

      await reservations.recordReleased(manager, { orderId, tenantId: 'tenant-rows', reason: 'customer cancelled' });
      const released = await manager.findOneByOrFail(ReleasedOrder, { orderId });
      expect(await reservations.decisionState(manager, orderId, 1)).toStrictEqual({ released, request, latestAttempt: 1 });

      await manager.query(`UPDATE reservation SET expires_at = now() - interval '1 minute' WHERE id = $1`, [active[0].id]);
      expect(await reservations.claimExpired(manager, 10)).toStrictEqual([
        { id: active[0].id, orderId, attempt: 1, tenantId: 'tenant-rows', sku: tea, warehouse: main, quantity: 3, correlationId: 'saga-rows' },
      ]);
      throw rollback;
    });
    await expect(checks).rejects.toBe(rollback);
  });
});
