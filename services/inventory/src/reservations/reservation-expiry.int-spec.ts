import { randomUUID } from 'node:crypto';
import { ReservationExpiredV1 } from '@skald/contracts';
import { aReserveCommand, anOrderId, anOutboundNoteProgressed, anSku, aWarehouseCode } from '../../test/factories.js';
import { InventoryDriver } from '../../test/inventory-driver.js';

const HOLD_SECONDS = 5_400;
const BATCH = 3;

describe('reservation holds and their expiry (real PostgreSQL and RabbitMQ)', () => {
  let inventory: InventoryDriver;

  beforeAll(async () => {
    // The timer-driven sweep stays out of the way: the tests sweep themselves.
    inventory = await InventoryDriver.start({
      RESERVATION_HOLD_SECONDS: String(HOLD_SECONDS),
      RESERVATION_SWEEP_INTERVAL_MS: '3600000',
      RESERVATION_SWEEP_BATCH_SIZE: String(BATCH),
    });
  });

  afterAll(async () => {
    await inventory?.close();
  });

  afterEach(async () => {
    expect(await inventory.invariantViolations()).toEqual([]);
  });

  const past = () => new Date(Date.now() - 60_000).toISOString();

  it('holds reservations for the configured time, or until the holdUntil the command names', async () => {
    const sku = anSku();
    const warehouse = aWarehouseCode();
    await inventory.stocked([{ warehouse, sku, quantity: 5 }]);
    const before = Date.now();
    const byDefault = anOrderId();
    await inventory.reservedFor(inventory.reserve(aReserveCommand({ orderId: byDefault, lines: [{ sku, quantity: 1 }] })));
    const after = Date.now();
    const [held] = await inventory.reservationsOf(byDefault);
    expect(held.expires_at!.getTime()).toBeGreaterThanOrEqual(before + HOLD_SECONDS * 1_000);
    expect(held.expires_at!.getTime()).toBeLessThanOrEqual(after + HOLD_SECONDS * 1_000);

    const holdUntil = '2031-05-04T03:02:01.000Z';
    const explicit = anOrderId();
    await inventory.reservedFor(inventory.reserve(aReserveCommand({ orderId: explicit, lines: [{ sku, quantity: 1 }], holdUntil })));
    expect((await inventory.reservationsOf(explicit))[0].expires_at!.toISOString()).toBe(holdUntil);
  });

  it('tells the order’s saga once per reservation past its hold, and leaves the reservation active', async () => {
    const [tea, cups] = [anSku('TEA'), anSku('CUP')];
    const [a, b] = [aWarehouseCode('A'), aWarehouseCode('B')];
    await inventory.warehouse(a, 1);
    await inventory.warehouse(b, 2);
    await inventory.stocked([
      { warehouse: a, sku: tea, quantity: 1 },
      { warehouse: b, sku: tea, quantity: 5 },
      { warehouse: a, sku: cups, quantity: 5 },
    ]);
    const correlationId = `saga-${randomUUID()}`;
    const expiring = inventory.reserve(aReserveCommand({ lines: [{ sku: tea, quantity: 3 }, { sku: cups, quantity: 1 }], holdUntil: past() }), {
      tenantId: 'tenant-x',
      correlationId,
    });
    const reserved = await inventory.reservedFor(expiring);
    const fresh = anOrderId();
    await inventory.reservedFor(inventory.reserve(aReserveCommand({ orderId: fresh, lines: [{ sku: cups, quantity: 1 }] })));

    await inventory.sweeper().sweepOnce();
    const told = await inventory.probe.next(ReservationExpiredV1, (p) => p.orderId === expiring.payload.orderId);
    expect(told).toMatchObject({ correlationId, tenantId: 'tenant-x' });
    expect(told.payload.reservations).toEqual(reserved.payload.reservations);

    // Not again, however often it sweeps; the order with a hold ahead is not told at all.
    await inventory.sweeper().sweepOnce();
    await inventory.sweeper().sweepOnce();
    expect(await inventory.outbox(ReservationExpiredV1, (p) => p.orderId === expiring.payload.orderId)).toHaveLength(1);
    expect(await inventory.outbox(ReservationExpiredV1, (p) => p.orderId === fresh)).toEqual([]);
    const rows = await inventory.reservationsOf(expiring.payload.orderId);
    expect(rows.map((r) => [r.status, r.expiry_notified_at instanceof Date])).toEqual(Array(3).fill(['active', true]));
    expect((await inventory.stockOf(tea)).totals).toEqual({ onHand: 6, reserved: 3, quarantined: 0, available: 3 });
    expect(await inventory.ledgerTotals(tea)).toEqual({ onHand: 6, reserved: 3, quarantined: 0 });
  });

  it('notifies each expired reservation exactly once when sweepers race (several replicas)', async () => {
    const sku = anSku();
    const warehouse = aWarehouseCode();
    await inventory.stocked([{ warehouse, sku, quantity: 40 }]);
    const orderIds = Array.from({ length: 14 }, () => anOrderId());
    for (const orderId of orderIds) {
      await inventory.reservedFor(inventory.reserve(aReserveCommand({ orderId, lines: [{ sku, quantity: 2 }], holdUntil: past() })));
    }
    const ours = new Set(orderIds);

    // Four sweeps at once, each claiming batches of 3 until nothing is left.
    const counts = await Promise.all(Array.from({ length: 4 }, () => inventory.sweeper().sweepOnce()));
    expect(counts.reduce((sum, n) => sum + n, 0)).toBeGreaterThanOrEqual(orderIds.length);

    const notices = await inventory.outbox(ReservationExpiredV1, (p) => ours.has(p.orderId));
    const notified = notices.flatMap((n) => n.payload.reservations.map((r) => r.reservationId));
    expect(notified).toHaveLength(orderIds.length);
    expect(new Set(notified).size).toBe(orderIds.length);
    expect(new Set(notices.map((n) => n.payload.orderId))).toEqual(ours);
    await inventory.probe.next(ReservationExpiredV1, (p) => p.orderId === orderIds[13]);
    expect((await inventory.stockOf(sku)).totals).toEqual({ onHand: 40, reserved: 28, quarantined: 0, available: 12 });
  });

  it('pins the reservations of a confirmed outbound note: they no longer expire', async () => {
    const sku = anSku();
    const [a, b] = [aWarehouseCode('A'), aWarehouseCode('B')];
    await inventory.warehouse(a, 1);
    await inventory.warehouse(b, 2);
    await inventory.stocked([
      { warehouse: a, sku, quantity: 1 },
      { warehouse: b, sku, quantity: 5 },
    ]);
    const orderId = anOrderId();
    await inventory.reservedFor(inventory.reserve(aReserveCommand({ orderId, lines: [{ sku, quantity: 3 }], holdUntil: past() })));

    const confirmed = anOutboundNoteProgressed({ orderId, warehouse: a });
    await inventory.processed(inventory.noteProgressed(confirmed));
    // A redelivered or later step of the same note changes nothing more.
    await inventory.processed(inventory.noteProgressed({ ...confirmed, status: 'picking' }));
    const rows = await inventory.reservationsOf(orderId);
    expect(rows.map((r) => [r.warehouse, r.expires_at === null])).toEqual([
      [a, true],
      [b, false],
    ]);

    await inventory.sweeper().sweepOnce();
    const told = await inventory.probe.next(ReservationExpiredV1, (p) => p.orderId === orderId);
    expect(told.payload.reservations.map((r) => [r.warehouse, r.quantity])).toEqual([[b, 2]]);
    expect(await inventory.outbox(ReservationExpiredV1, (p) => p.orderId === orderId)).toHaveLength(1);
  });
});
