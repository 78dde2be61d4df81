import {
  CreateOutboundNotesV1,
  OrderStatusChangedV1,
  OutboundNoteProgressedV1,
  OutboundNoteShippedV1,
  OutboundNotesCreatedV1,
  ReserveStockV1,
  ShipmentDeliveredV1,
  StockReservationRejectedV1,
  StockReservedV1,
} from '@skald/contracts';
import { waitFor } from '@skald/testing';
import { randomUUID } from 'node:crypto';
import { aCatalogItem, anOrder, aPlatform } from '../../test/factories.js';
import { OrdersWorld } from '../../test/orders-world.js';

describe('order saga: review → reserve → outbound notes → pick/pack/ship → delivery (real PostgreSQL and RabbitMQ)', () => {
  const world = new OrdersWorld();

  beforeAll(() => world.start([ReserveStockV1, CreateOutboundNotesV1]));
  afterAll(() => world.stop());

  it('walks an order split over two warehouses to delivered, with history, messages and step log', async () => {
    const { tenantId } = await world.platform(aPlatform());
    const mug = aCatalogItem({ listPrice: '10' });
    const plate = aCatalogItem({ listPrice: '4.5' });
    await world.catalog(mug, plate);

    const id = await world.place(tenantId, anOrder([
      { sku: mug.sku, quantity: 3, unitPrice: 10 },
      { sku: plate.sku, quantity: 2, unitPrice: 4.5 },
    ]));

    const reserve = await world.probe.next(ReserveStockV1, (p) => p.orderId === id);
    expect(reserve.payload.lines).toEqual([{ sku: mug.sku, quantity: 3 }, { sku: plate.sku, quantity: 2 }]);
    expect(reserve).toMatchObject({ correlationId: id, tenantId });
    expect((await world.order(tenantId, id)).status).toBe('approved');

    const reservations = [
      { reservationId: randomUUID(), warehouse: 'WH-A', sku: mug.sku, quantity: 2 },
      { reservationId: randomUUID(), warehouse: 'WH-B', sku: mug.sku, quantity: 1 },
      { reservationId: randomUUID(), warehouse: 'WH-B', sku: plate.sku, quantity: 2 },
    ];
    world.probe.publish(StockReservedV1, { orderId: id, reservations }, { tenantId, correlationId: id, causationId: reserve.id });
    const create = await world.probe.next(CreateOutboundNotesV1, (p) => p.orderId === id);
    expect(create.payload.notes).toEqual([
      { warehouse: 'WH-A', lines: [{ sku: mug.sku, quantity: 2 }] },
      { warehouse: 'WH-B', lines: [{ sku: mug.sku, quantity: 1 }, { sku: plate.sku, quantity: 2 }] },
    ]);
    expect(create.payload.shipTo).toMatchObject({ city: 'Ghent', country: 'BE' });
    await world.status(tenantId, id, 'reserved');

    const [noteA, noteB] = [randomUUID(), randomUUID()];
    world.probe.publish(OutboundNotesCreatedV1, {
      orderId: id,
      externalId: create.payload.externalId,
      notes: [
        { noteId: noteA, warehouse: 'WH-A', lines: create.payload.notes[0].lines },
        { noteId: noteB, warehouse: 'WH-B', lines: create.payload.notes[1].lines },
      ],
    }, { tenantId, correlationId: id });
    await world.status(tenantId, id, 'released');

    const progress = (noteId: string, warehouse: string, status: 'confirmed' | 'picking' | 'packed') =>
      world.probe.publish(OutboundNoteProgressedV1, { noteId, orderId: id, warehouse, status, at: new Date().toISOString() }, { tenantId, correlationId: id });
    progress(noteA, 'WH-A', 'confirmed');
    progress(noteA, 'WH-A', 'picking');
    await world.status(tenantId, id, 'picking');
    progress(noteA, 'WH-A', 'packed');
    progress(noteB, 'WH-B', 'confirmed');
    progress(noteB, 'WH-B', 'picking');
    progress(noteB, 'WH-B', 'packed');
    await world.status(tenantId, id, 'packed');

    const ship = (noteId: string, warehouse: string, lines: Array<{ sku: string; quantity: number }>, trackingNumber: string) => {
      const shipmentId = randomUUID();
      world.probe.publish(OutboundNoteShippedV1, {
        noteId, orderId: id, warehouse, shipmentId, carrier: 'DHL', trackingNumber, lines, shippedAt: new Date().toISOString(),
      }, { tenantId, correlationId: id });
      return shipmentId;
    };
    const shipmentA = ship(noteA, 'WH-A', create.payload.notes[0].lines, 'TRK-A');
    await waitFor('first shipment recorded', async () => (await world.order(tenantId, id)).shipments.length === 1);
    expect((await world.order(tenantId, id)).status).toBe('packed');
    const shipmentB = ship(noteB, 'WH-B', create.payload.notes[1].lines, 'TRK-B');
    const shipped = await world.status(tenantId, id, 'shipped');
    expect(shipped.shipments.map((s: { trackingNumber: string }) => s.trackingNumber).sort()).toEqual(['TRK-A', 'TRK-B']);

    world.probe.publish(ShipmentDeliveredV1, { shipmentId: shipmentA, noteId: noteA, orderId: id, deliveredAt: new Date().toISOString() }, { tenantId, correlationId: id });
    await waitFor('first delivery recorded', async () => (await world.order(tenantId, id)).shipments.some((s: { deliveredAt: string | null }) => s.deliveredAt));
    expect((await world.order(tenantId, id)).status).toBe('shipped');
    world.probe.publish(ShipmentDeliveredV1, { shipmentId: shipmentB, noteId: noteB, orderId: id, deliveredAt: new Date().toISOString() }, { tenantId, correlationId: id });
    const delivered = await world.status(tenantId, id, 'delivered');

    expect(delivered.statusHistory.map((h: { status: string }) => h.status)).toEqual([
      'received', 'approved', 'reserved', 'released', 'picking', 'packed', 'shipped', 'delivered',
    ]);
    expect(delivered.review).toMatchObject({ outcome: 'approved', reasons: [] });
    expect(delivered.reservations).toHaveLength(3);
    expect(delivered.outboundNotes.map((n: { status: string }) => n.status)).toEqual(['delivered', 'delivered']);
    expect(delivered.totalAmount).toBe('39');

    // The status is committed before its event is relayed: wait for the last one to arrive.
    const notified = await waitFor('all eight status events', () => {
      const seen = world.probe.messages(OrderStatusChangedV1, (p) => p.orderId === id);
      return seen.length >= 8 ? seen : undefined;
    });
    expect(notified.map((m) => m.payload.status)).toEqual([
      'received', 'approved', 'reserved', 'released', 'picking', 'packed', 'shipped', 'delivered',
    ]);
    expect(notified.every((m) => m.correlationId === id && m.tenantId === tenantId)).toBe(true);
    expect(notified.find((m) => m.payload.status === 'shipped')!.payload.shipments).toHaveLength(2);

    const steps: Array<{ kind: string; message_type: string; to_state: string | null; at: Date }> = await world.sut.dataSource.query(
      `SELECT kind, message_type, to_state, at FROM saga_step WHERE saga_id = $1 ORDER BY id`, [id]);
    expect(steps.filter((s) => s.kind === 'command_sent').map((s) => s.message_type)).toEqual([
      'orders.review-order.v1', 'inventory.reserve-stock.v1', 'warehouse.create-outbound-notes.v1',
    ]);
    expect(steps.filter((s) => s.kind === 'state_changed').map((s) => s.to_state)).toEqual([
      'reserving', 'releasing', 'fulfilling', 'awaiting_delivery', 'completed',
    ]);
    // Each handler's steps in the order it logged them: what it received, the move, then the command it sent.
    const kinds = steps.map((s) => `${s.kind}${s.to_state ? ` ${s.to_state}` : ''}`);
    expect(kinds.slice(0, 5)).toEqual(['event_sent reviewing', 'command_sent', 'message_received', 'state_changed reserving', 'command_sent']);
    expect(kinds.indexOf('state_changed releasing') + 1).toBe(kinds.lastIndexOf('command_sent'));
    const times = steps.map((s) => s.at.getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
    const [saga] = await world.sut.dataSource.query(`SELECT state, deadline_at, version FROM saga WHERE id = $1`, [id]);
    expect(saga).toMatchObject({ state: 'completed', deadline_at: null });
  });

  it('passes through released when a note\'s progress overtakes the notes-created event (platforms wait for released)', async () => {
    const { tenantId } = await world.platform(aPlatform());
    const item = aCatalogItem();
    await world.catalog(item);
    const id = await world.place(tenantId, anOrder([{ sku: item.sku, quantity: 1, unitPrice: 10 }]));
    const reserve = await world.probe.next(ReserveStockV1, (p) => p.orderId === id);
    const reservations = [{ reservationId: randomUUID(), warehouse: 'WH-A', sku: item.sku, quantity: 1 }];
    world.probe.publish(StockReservedV1, { orderId: id, reservations }, { tenantId, correlationId: id, causationId: reserve.id });
    const create = await world.probe.next(CreateOutboundNotesV1, (p) => p.orderId === id);
    await world.status(tenantId, id, 'reserved');

    // The operator picked the note before the orders service handled the event announcing it.
    const noteId = randomUUID();
    world.probe.publish(OutboundNoteProgressedV1, { noteId, orderId: id, warehouse: 'WH-A', status: 'picking', at: new Date().toISOString() }, { tenantId, correlationId: id });
    await world.status(tenantId, id, 'picking');
    world.probe.publish(OutboundNotesCreatedV1, {
      orderId: id,
      externalId: create.payload.externalId,
      notes: [{ noteId, warehouse: 'WH-A', lines: create.payload.notes[0].lines }],
    }, { tenantId, correlationId: id });
    await waitFor('the late notes-created event handled', async () => {
      const rows = await world.sut.dataSource.query(`SELECT 1 FROM saga_step WHERE saga_id = $1 AND message_type LIKE $2`, [id, `${OutboundNotesCreatedV1.type}%`]);
      return rows.length > 0;
    });

    const order = await world.order(tenantId, id);
    expect(order.statusHistory.map((h: { status: string }) => h.status)).toEqual(['received', 'approved', 'reserved', 'released', 'picking']);
    expect(order.outboundNotes).toEqual([expect.objectContaining({ id: noteId, status: 'picking' })]);
    const notified = await waitFor('five status events', () => {
      const seen = world.probe.messages(OrderStatusChangedV1, (p) => p.orderId === id);
      return seen.length >= 5 ? seen : undefined;
    });
    expect(notified.map((m) => m.payload.status)).toEqual(['received', 'approved', 'reserved', 'released', 'picking']);
  });

  it('ignores a late or repeated reply: a second StockReserved sends no second outbound-notes command', async () => {
    const { tenantId } = await world.platform(aPlatform());
    const item = aCatalogItem();
    await world.catalog(item);
    const id = await world.place(tenantId, anOrder([{ sku: item.sku, quantity: 1, unitPrice: 10 }]));
    await world.probe.next(ReserveStockV1, (p) => p.orderId === id);
    const reservations = [{ reservationId: randomUUID(), warehouse: 'WH-A', sku: item.sku, quantity: 1 }];
    world.probe.publish(StockReservedV1, { orderId: id, reservations }, { tenantId, correlationId: id });
    await world.probe.next(CreateOutboundNotesV1, (p) => p.orderId === id);
    world.probe.publish(StockReservedV1, { orderId: id, reservations }, { tenantId, correlationId: id });
    await waitFor('second reply logged as ignored', async () => {
      const rows = await world.sut.dataSource.query(`SELECT 1 FROM saga_step WHERE saga_id = $1 AND reason LIKE 'ignored%'`, [id]);
      return rows.length === 1;
    });
    expect(world.probe.messages(CreateOutboundNotesV1, (p) => p.orderId === id)).toHaveLength(1);
    expect((await world.order(tenantId, id)).statusHistory.filter((h: { status: string }) => h.status === 'reserved')).toHaveLength(1);
  });

  it('cancels an order with STOCK_SHORT when inventory cannot reserve it', async () => {
    const { tenantId } = await world.platform(aPlatform());
    const item = aCatalogItem();
    await world.catalog(item);
    const id = await world.place(tenantId, anOrder([{ sku: item.sku, quantity: 5, unitPrice: 10 }]));
    await world.probe.next(ReserveStockV1, (p) => p.orderId === id);
    world.probe.publish(StockReservationRejectedV1, { orderId: id, reason: 'STOCK_SHORT', shortages: [{ sku: item.sku, requested: 5, available: 2 }] }, { tenantId, correlationId: id });
    const cancelled = await world.status(tenantId, id, 'cancelled');
    expect(cancelled.statusHistory.at(-1).reason).toBe(`STOCK_SHORT: ${item.sku} requested 5, available 2`);
    const [saga] = await world.sut.dataSource.query(`SELECT state FROM saga WHERE id = $1`, [id]);
    expect(saga.state).toBe('cancelled');
  });
});
