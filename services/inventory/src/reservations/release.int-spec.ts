import { randomUUID } from 'node:crypto';
import { BackorderAllocatedV1, StockReleasedV1, StockReservationRejectedV1, StockReservedV1 } from '@skald/contracts';
import { aReserveCommand, anOrderId, anSku, aWarehouseCode, placement } from '../../test/factories.js';
import { InventoryDriver } from '../../test/inventory-driver.js';

describe('releasing an order’s stock (real PostgreSQL and RabbitMQ)', () => {
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

  it('releases every active reservation and the backorder of an order, once, and answers every copy', async () => {
    const [tea, cups] = [anSku('TEA'), anSku('CUP')];
    const [a, b] = [aWarehouseCode('A'), aWarehouseCode('B')];
    await inventory.warehouse(a, 1);
    await inventory.warehouse(b, 2);
    await inventory.stocked([
      { warehouse: a, sku: tea, quantity: 2 },
      { warehouse: b, sku: tea, quantity: 1 },
      { warehouse: a, sku: cups, quantity: 4 },
    ]);
    const orderId = anOrderId();
    const reserved = await inventory.reservedFor(
      inventory.reserve(aReserveCommand({ orderId, lines: [{ sku: tea, quantity: 5 }, { sku: cups, quantity: 4 }], onShortage: 'backorder' })),
    );
    expect(reserved.payload.backordered).toEqual([{ sku: tea, quantity: 2 }]);

    const correlationId = `saga-${randomUUID()}`;
    const release = inventory.release({ orderId, reason: 'CUSTOMER_CANCELLED' }, { correlationId });
    const released = await inventory.releasedFor(release);
    expect(released).toMatchObject({ correlationId, tenantId: 'tenant-test' });
    expect(released.payload).toEqual({
      orderId,
      reason: 'CUSTOMER_CANCELLED',
      released: reserved.payload.reservations,
      backorderEnded: [{ sku: tea, quantity: 2 }],
    });

    expect((await inventory.stockOf(tea)).totals).toEqual({ onHand: 3, reserved: 0, quarantined: 0, available: 3 });
    expect((await inventory.stockOf(cups)).totals).toEqual({ onHand: 4, reserved: 0, quarantined: 0, available: 4 });
    expect(await inventory.ledgerTotals(tea)).toEqual({ onHand: 3, reserved: 0, quarantined: 0 });
    const releases = (await inventory.ledgerOf(tea)).filter((e) => e.kind === 'release');
    expect(releases.map((e) => [e.warehouse, e.onHandDelta, e.reservedDelta, e.orderId, e.reference, e.reason])).toEqual([
      [a, 0, -2, orderId, `release:${orderId}`, 'CUSTOMER_CANCELLED'],
      [b, 0, -1, orderId, `release:${orderId}`, 'CUSTOMER_CANCELLED'],
    ]);
    expect((await inventory.reservationsOf(orderId)).map((r) => [r.status, r.settled_reference])).toEqual(
      Array(3).fill(['released', `release:${orderId}`]),
    );
    expect(await inventory.query(`SELECT status FROM backorder_line WHERE order_id = $1`, [orderId])).toEqual([{ status: 'ended' }]);

    // A re-sent command releases nothing more, and is still answered.
    const again = inventory.release({ orderId, reason: 'CUSTOMER_CANCELLED' });
    expect((await inventory.releasedFor(again)).payload).toEqual({ orderId, reason: 'CUSTOMER_CANCELLED', released: [], backorderEnded: [] });
    expect((await inventory.ledgerOf(tea)).filter((e) => e.kind === 'release')).toHaveLength(2);
    expect((await inventory.stockOf(tea)).totals).toEqual({ onHand: 3, reserved: 0, quarantined: 0, available: 3 });

    // Stock arriving later serves nobody: the order no longer waits.
    await inventory.receive(a, [{ sku: tea, quantity: 2 }]);
    expect((await inventory.stockOf(tea)).totals).toEqual({ onHand: 5, reserved: 0, quarantined: 0, available: 5 });
    expect(await inventory.outbox(BackorderAllocatedV1, (p) => p.orderId === orderId)).toEqual([]);
  });

  it('releases only the listed reservations that are still active, and the backorder only when asked', async () => {
    const [tea, cups] = [anSku('TEA'), anSku('CUP')];
    const warehouse = aWarehouseCode();
    await inventory.stocked([
      { warehouse, sku: tea, quantity: 1 },
      { warehouse, sku: cups, quantity: 3 },
    ]);
    const orderId = anOrderId();
    const reserved = await inventory.reservedFor(
      inventory.reserve(aReserveCommand({ orderId, lines: [{ sku: tea, quantity: 2 }, { sku: cups, quantity: 3 }], onShortage: 'backorder' })),
    );
    const cupsReservation = reserved.payload.reservations.find((r) => r.sku === cups)!;
    const teaReservation = reserved.payload.reservations.find((r) => r.sku === tea)!;

    const some = inventory.release({ orderId, reason: 'RESERVATION_EXPIRED', reservationIds: [cupsReservation.reservationId, randomUUID()] });
    expect((await inventory.releasedFor(some)).payload).toEqual({
      orderId,
      reason: 'RESERVATION_EXPIRED',
      released: [cupsReservation],
      backorderEnded: [],
    });
    expect((await inventory.reservationsOf(orderId)).map((r) => [r.sku, r.status])).toEqual([
      [cups, 'released'],
      [tea, 'active'],
    ]);
    expect(await inventory.query(`SELECT status FROM backorder_line WHERE order_id = $1`, [orderId])).toEqual([{ status: 'waiting' }]);

    // Listing a released one again releases nothing; endBackorder stops the wait.
    const rest = inventory.release({ orderId, reason: 'BACKORDER_DEADLINE', reservationIds: [cupsReservation.reservationId], endBackorder: true });
    expect((await inventory.releasedFor(rest)).payload).toEqual({
      orderId,
      reason: 'BACKORDER_DEADLINE',
      released: [],
      backorderEnded: [{ sku: tea, quantity: 1 }],
    });
    expect((await inventory.reservationsOf(orderId)).find((r) => r.id === teaReservation.reservationId)?.status).toBe('active');
    expect((await inventory.stockOf(cups)).totals).toEqual({ onHand: 3, reserved: 0, quarantined: 0, available: 3 });
    expect((await inventory.stockOf(tea)).totals).toEqual({ onHand: 1, reserved: 1, quarantined: 0, available: 0 });
    expect(await inventory.ledgerTotals(cups)).toEqual({ onHand: 3, reserved: 0, quarantined: 0 });

    // Released in part only: a later reserve attempt of the order is still decided.
    const later = inventory.reserve(aReserveCommand({ orderId, lines: [{ sku: cups, quantity: 1 }], attempt: 2 }));
    expect((await inventory.reservedFor(later)).payload.reservations.map(placement)).toEqual([[cups, warehouse, 1]]);
  });

  it('reserves nothing for an order released as a whole before its reserve command arrived', async () => {
    const sku = anSku();
    const warehouse = aWarehouseCode();
    await inventory.stocked([{ warehouse, sku, quantity: 5 }]);
    const orderId = anOrderId();

    const release = inventory.release({ orderId, reason: 'CUSTOMER_CANCELLED' });
    expect((await inventory.releasedFor(release)).payload).toEqual({ orderId, reason: 'CUSTOMER_CANCELLED', released: [], backorderEnded: [] });
    const late = inventory.reserve(aReserveCommand({ orderId, lines: [{ sku, quantity: 2 }], onShortage: 'backorder' }));
    await inventory.processed(late);
    const laterAttempt = inventory.reserve(aReserveCommand({ orderId, lines: [{ sku, quantity: 2 }], attempt: 2 }));
    await inventory.processed(laterAttempt);

    expect(await inventory.reservationsOf(orderId)).toEqual([]);
    expect(await inventory.query(`SELECT order_id FROM reservation_request WHERE order_id = $1`, [orderId])).toEqual([]);
    expect(await inventory.query(`SELECT order_id, reason FROM released_order WHERE order_id = $1`, [orderId])).toEqual([
      { order_id: orderId, reason: 'CUSTOMER_CANCELLED' },
    ]);
    expect(await inventory.outbox(StockReservedV1, (p) => p.orderId === orderId)).toEqual([]);
    expect(await inventory.outbox(StockReservationRejectedV1, (p) => p.orderId === orderId)).toEqual([]);
    expect((await inventory.stockOf(sku)).totals).toEqual({ onHand: 5, reserved: 0, quarantined: 0, available: 5 });
    expect(await inventory.ledgerTotals(sku)).toEqual({ onHand: 5, reserved: 0, quarantined: 0 });
  });

  it('gives released stock to the orders waiting for it, first come, first served', async () => {
    const sku = anSku();
    const warehouse = aWarehouseCode();
    await inventory.stocked([{ warehouse, sku, quantity: 4 }]);
    const cancelled = anOrderId();
    await inventory.reservedFor(inventory.reserve(aReserveCommand({ orderId: cancelled, lines: [{ sku, quantity: 4 }] })));
    const waitingFirst = inventory.reserve(aReserveCommand({ lines: [{ sku, quantity: 3 }], onShortage: 'backorder' }), { correlationId: `saga-${randomUUID()}` });
    await inventory.reservedFor(waitingFirst);
    const waitingSecond = inventory.reserve(aReserveCommand({ lines: [{ sku, quantity: 3 }], onShortage: 'backorder' }));
    await inventory.reservedFor(waitingSecond);

    const release = inventory.release({ orderId: cancelled, reason: 'CUSTOMER_CANCELLED' });
    await inventory.releasedFor(release);
    const first = await inventory.probe.next(BackorderAllocatedV1, (p) => p.orderId === waitingFirst.payload.orderId);
    // The saga of the waiting order hears of it, caused by the release.
    expect(first).toMatchObject({ correlationId: waitingFirst.correlationId, causationId: release.id });
    expect(first.payload.reservations.map(placement)).toEqual([[sku, warehouse, 3]]);
    expect(first.payload.backordered).toEqual([]);
    const second = await inventory.probe.next(BackorderAllocatedV1, (p) => p.orderId === waitingSecond.payload.orderId);
    expect(second.payload.reservations.map(placement)).toEqual([[sku, warehouse, 1]]);
    expect(second.payload.backordered).toEqual([{ sku, quantity: 2 }]);

    expect((await inventory.stockOf(sku)).totals).toEqual({ onHand: 4, reserved: 4, quarantined: 0, available: 0 });
    const ledger = await inventory.ledgerOf(sku);
    expect(ledger.map((e) => [e.kind, e.reservedDelta, e.orderId])).toEqual([
      ['receipt', 0, null],
      ['reserve', 4, cancelled],
      ['release', -4, cancelled],
      ['reserve', 3, waitingFirst.payload.orderId],
      ['reserve', 1, waitingSecond.payload.orderId],
    ]);
    expect(await inventory.ledgerTotals(sku)).toEqual({ onHand: 4, reserved: 4, quarantined: 0 });
    expect(inventory.probe.messages(StockReleasedV1, (p) => p.orderId === cancelled)).toHaveLength(1);
  });
});
