import { randomUUID } from 'node:crypto';
import { CreateOutboundNotesV1, ReserveStockV1, StockReservedV1 } from '@skald/contracts';
import { SagaEntity } from '@skald/saga';
import { aCatalogItem, anOrder, aPlatform } from '../../test/factories.js';
import { OrdersWorld } from '../../test/orders-world.js';
import { NOTE_STATUSES } from '../saga/fulfilment-status.js';
import { OrderSagaStore } from '../saga/order-saga.store.js';
import { SagaSteps } from '../saga/saga-steps.js';
import { OrderOutboundNoteEntity, OrderReservationEntity, OrderShipmentEntity } from './fulfilment.entities.js';
import { OrderLineEntity } from './order-line.entity.js';
import { OrderStatusEntryEntity } from './order-status-entry.entity.js';
import { OrderEntity } from './order.entity.js';
import { OrdersRepository } from './orders.repository.js';

/**
 * The saga's hot path reads and writes in plain SQL: the rows come back as TypeORM's entities
 * would (same properties, same types), and the never-move-back rules of notes hold in SQL.
 */
describe('orders repository: plain SQL on the saga hot path (real PostgreSQL)', () => {
  const world = new OrdersWorld();
  const orders = new OrdersRepository();

  beforeAll(() => world.start([ReserveStockV1, CreateOutboundNotesV1]));
  afterAll(() => world.stop());

  /** A placed order, reserved in WH-A, whose saga asked for its outbound notes. */
  async function reservedOrder(): Promise<string> {
    const { tenantId } = await world.platform(aPlatform());
    const item = aCatalogItem();
    await world.catalog(item);
    const id = await world.place(tenantId, anOrder([{ sku: item.sku, quantity: 2, unitPrice: 10 }], { requestedDeliveryDate: '2030-01-15' }));
    const reserve = await world.probe.next(ReserveStockV1, (p) => p.orderId === id);
    const reservations = [{ reservationId: randomUUID(), warehouse: 'WH-A', sku: item.sku, quantity: 2 }];
    world.probe.publish(StockReservedV1, { orderId: id, reservations, attempt: reserve.payload.attempt }, { tenantId, correlationId: id });
    await world.probe.next(CreateOutboundNotesV1, (p) => p.orderId === id);
    return id;
  }

  it('reads the order, lines, reservations, notes, shipments and saga as TypeORM hydrates them', async () => {
    const id = await reservedOrder();
    const sagas = world.sut.app.get(OrderSagaStore);
    await world.sut.dataSource.transaction(async (manager) => {
      await orders.upsertNote(manager, { noteId: `n-${id}`, orderId: id, warehouse: 'WH-A', status: 'created', lines: [{ sku: 'X', quantity: 1 }] }, NOTE_STATUSES);
      const shipments = await orders.saveShipment(manager, { shipmentId: `s-${id}`, orderId: id, noteId: `n-${id}`, warehouse: 'WH-A', carrier: 'bpost', trackingNumber: 'T1', shippedAt: new Date() });

      const order = await orders.lock(manager, id);
      expect(order).toEqual(await manager.findOneBy(OrderEntity, { id }));
      expect(order?.requestedDeliveryDate).toBe('2030-01-15');
      expect(order?.createdAt).toBeInstanceOf(Date);
      expect(await orders.findById(manager, id)).toEqual(order);
      expect(await orders.lines(manager, id)).toEqual(await manager.find(OrderLineEntity, { where: { orderId: id }, order: { lineNo: 'ASC' } }));
      const reservations = await orders.reservations(manager, id);
      expect(reservations).toHaveLength(1);
      expect(reservations).toEqual(await manager.find(OrderReservationEntity, { where: { orderId: id } }));
      expect(await orders.notes(manager, id)).toEqual(await manager.find(OrderOutboundNoteEntity, { where: { orderId: id } }));
      expect(await orders.shipments(manager, id)).toEqual(await manager.find(OrderShipmentEntity, { where: { orderId: id } }));
      expect(shipments).toEqual(await orders.shipments(manager, id));
      const saga = await sagas.lock(manager, id);
      expect(saga).toEqual(await manager.findOneBy(SagaEntity, { id }));
      expect(saga?.updatedAt).toBeInstanceOf(Date);
      expect(await sagas.find(manager, id)).toEqual(saga);
      expect(await sagas.findMany(manager, [id])).toEqual([saga]);
      // The order and its saga locked in one statement: the same rows.
      expect(await world.sut.app.get(SagaSteps).lock(manager, id)).toEqual({ order, saga });
      expect(await world.sut.app.get(SagaSteps).lock(manager, randomUUID())).toBeNull();
    });
  });

  it('a note never moves back, a cancelled one stays cancelled, and keeps its batch and (unless new ones come) its lines', async () => {
    const id = await reservedOrder();
    const noteId = `n-${id}`;
    const note = () => world.sut.dataSource.manager.findOneByOrFail(OrderOutboundNoteEntity, { noteId });
    const upsert = (status: string, extra: { lines?: Array<{ sku: string; quantity: number }>; batch?: number } = {}) =>
      orders.upsertNote(world.sut.dataSource.manager, { noteId, orderId: id, warehouse: 'WH-A', status, ...extra }, NOTE_STATUSES);
    const advance = (status: string) => orders.advanceNote(world.sut.dataSource.manager, id, noteId, status, NOTE_STATUSES);

    await upsert('picking');
    expect(await note()).toMatchObject({ status: 'picking', batch: 1, lines: null });
    await upsert('created', { lines: [{ sku: 'A', quantity: 2 }], batch: 2 });
    expect(await note()).toMatchObject({ status: 'picking', batch: 1, lines: [{ sku: 'A', quantity: 2 }] });
    await upsert('packed');
    expect(await note()).toMatchObject({ status: 'packed', lines: [{ sku: 'A', quantity: 2 }] });

    await advance('picking');
    expect((await note()).status).toBe('packed');
    await advance('delivered');
    expect((await note()).status).toBe('delivered');

    await orders.cancelNotes(world.sut.dataSource.manager, id, [{ noteId, warehouse: 'WH-A', lines: [{ sku: 'A', quantity: 2 }] }]);
    await upsert('shipped');
    expect((await note()).status).toBe('cancelled');
  });

  it("gives the order's notes as they are after writing one, from the same statement", async () => {
    const id = await reservedOrder();
    const manager = world.sut.dataSource.manager;
    const note = (noteId: string, warehouse: string, status: string, batch = 1) =>
      orders.upsertNote(manager, { noteId, orderId: id, warehouse, status, lines: [{ sku: 'X', quantity: 1 }], batch }, NOTE_STATUSES);
    // Another order's note is never among them.
    await orders.upsertNote(manager, { noteId: `n-${randomUUID()}`, orderId: await reservedOrder(), warehouse: 'WH-A', status: 'created' }, NOTE_STATUSES);

    expect(await note('n-b', 'WH-B', 'created')).toEqual(await orders.notes(manager, id));
    expect(await note('n-a', 'WH-A', 'created')).toEqual(await orders.notes(manager, id));
    const written = await note('n-c', 'WH-A', 'created', 2);
    expect(written).toEqual(await orders.notes(manager, id));
    expect(written.map((n) => [n.noteId, n.status])).toEqual([['n-a', 'created'], ['n-b', 'created'], ['n-c', 'created']]);
    // Moved on, or not moved back: the note as it is now.
    expect((await note('n-b', 'WH-B', 'packed')).map((n) => n.status)).toEqual(['created', 'packed', 'created']);
    expect((await note('n-b', 'WH-B', 'picking')).map((n) => n.status)).toEqual(['created', 'packed', 'created']);
    expect((await orders.advanceNote(manager, id, 'n-a', 'shipped', NOTE_STATUSES)).map((n) => n.status)).toEqual(['shipped', 'packed', 'created']);
    expect((await orders.advanceNote(manager, id, 'n-a', 'picking', NOTE_STATUSES)).map((n) => n.status)).toEqual(['shipped', 'packed', 'created']);
    expect(await orders.advanceNote(manager, id, 'n-a', 'picking', NOTE_STATUSES)).toEqual(await orders.notes(manager, id));
  });

  it("gives the order's shipments as they are after recording one, from the same statement", async () => {
    const id = await reservedOrder();
    const manager = world.sut.dataSource.manager;
    const ship = (shipmentId: string, orderId: string, shippedAt: string) =>
      orders.saveShipment(manager, { shipmentId, orderId, noteId: `n-${shipmentId}`, warehouse: 'WH-A', carrier: 'bpost', trackingNumber: `T-${shipmentId}`, shippedAt: new Date(shippedAt) });
    // Another order's shipment is never among them.
    await ship(`s-${randomUUID()}`, await reservedOrder(), '2030-01-01T10:00:00Z');

    expect((await ship('s-2', id, '2030-01-02T10:00:00Z')).map((s) => s.shipmentId)).toEqual(['s-2']);
    const both = await ship('s-1', id, '2030-01-01T10:00:00Z');
    expect(both.map((s) => s.shipmentId)).toEqual(['s-1', 's-2']);
    expect(both).toEqual(await orders.shipments(manager, id));
    // Recorded again (a redelivered event): left as it was, still among them.
    await orders.markDelivered(manager, 's-2', new Date('2030-01-03T10:00:00Z'));
    const again = await ship('s-2', id, '2030-01-05T10:00:00Z');
    expect(again).toEqual(await orders.shipments(manager, id));
    expect(again.map((s) => [s.shipmentId, s.shippedAt.toISOString(), s.deliveredAt?.toISOString() ?? null])).toEqual([
      ['s-1', '2030-01-01T10:00:00.000Z', null],
      ['s-2', '2030-01-02T10:00:00.000Z', '2030-01-03T10:00:00.000Z'],
    ]);
  });

  it('reads the order with its lines, history, reservations, notes and shipments in one statement, as the separate reads give them', async () => {
    const { tenantId } = await world.platform(aPlatform());
    const [mug, plate] = [aCatalogItem({ listPrice: '10.25' }), aCatalogItem({ listPrice: '4.5' })];
    await world.catalog(mug, plate);
    const id = await world.place(tenantId, anOrder([{ sku: mug.sku, quantity: 3, unitPrice: 10.25 }, { sku: plate.sku, quantity: 2, unitPrice: 4.5 }]));
    // The saga waits for the reservation from here on: nothing else writes to the order meanwhile.
    await world.probe.next(ReserveStockV1, (p) => p.orderId === id);
    const manager = world.sut.dataSource.manager;
    await orders.saveReservations(manager, [
      { reservationId: randomUUID(), orderId: id, warehouse: 'WH-B', sku: plate.sku, quantity: 2, batch: 2, released: false },
      { reservationId: randomUUID(), orderId: id, warehouse: 'WH-A', sku: mug.sku, quantity: 3, batch: 1, released: true },
    ]);
    await orders.upsertNote(manager, { noteId: `n-b-${id}`, orderId: id, warehouse: 'WH-B', status: 'created', lines: [{ sku: plate.sku, quantity: 2 }] }, NOTE_STATUSES);
    await orders.upsertNote(manager, { noteId: `n-a-${id}`, orderId: id, warehouse: 'WH-A', status: 'picking' }, NOTE_STATUSES);
    const ship = (shipmentId: string, noteId: string, shippedAt: string) =>
      orders.saveShipment(manager, { shipmentId, orderId: id, noteId, warehouse: 'WH-A', carrier: 'bpost', trackingNumber: `T-${shipmentId}`, shippedAt: new Date(shippedAt) });
    await ship(`s-2-${id}`, `n-b-${id}`, '2030-01-02T10:00:00.456Z');
    await ship(`s-1-${id}`, `n-a-${id}`, '2030-01-01T10:00:00Z');
    await orders.markDelivered(manager, `s-1-${id}`, new Date('2030-01-03T10:00:00.123Z'));

    const details = await orders.withDetails(manager, id);
    expect(details).toEqual({
      order: await orders.findById(manager, id),
      lines: await orders.lines(manager, id),
      history: await manager.find(OrderStatusEntryEntity, { where: { orderId: id }, order: { id: 'ASC' } }),
      reservations: await orders.reservations(manager, id),
      notes: await orders.notes(manager, id),
      shipments: await orders.shipments(manager, id),
    });
    // Each part in its order, with its types: amounts as text, times as Date (history times to the millisecond).
    expect(details?.lines.map((line) => [line.sku, line.quantity, Number(line.unitPrice)])).toEqual([[mug.sku, 3, 10.25], [plate.sku, 2, 4.5]]);
    expect(details?.history.map((entry) => entry.status)).toEqual(['received', 'approved']);
    expect(details?.history.every((entry) => entry.at instanceof Date)).toBe(true);
    expect(details?.reservations.map((r) => [r.warehouse, r.batch, r.released])).toEqual([['WH-A', 1, true], ['WH-B', 2, false]]);
    expect(details?.notes.map((n) => [n.warehouse, n.status, n.lines])).toEqual([['WH-A', 'picking', null], ['WH-B', 'created', [{ sku: plate.sku, quantity: 2 }]]]);
    expect(details?.shipments.map((s) => [s.shippedAt.toISOString(), s.deliveredAt?.toISOString() ?? null])).toEqual([
      ['2030-01-01T10:00:00.000Z', '2030-01-03T10:00:00.123Z'],
      ['2030-01-02T10:00:00.456Z', null],
    ]);

    // An order with no reservations, notes or shipments yet: empty parts; an unknown id: null.
    const fresh = await world.place(tenantId, anOrder([{ sku: mug.sku, quantity: 1, unitPrice: 10.25 }]));
    await world.probe.next(ReserveStockV1, (p) => p.orderId === fresh);
    expect(await orders.withDetails(manager, fresh)).toMatchObject({ reservations: [], notes: [], shipments: [], lines: [{ sku: mug.sku }] });
    expect(await orders.withDetails(manager, randomUUID())).toBeNull();
  });

  it('records reservations in one insert and leaves ones already recorded as they are', async () => {
    const id = await reservedOrder();
    const [first] = await orders.reservations(world.sut.dataSource.manager, id);
    const second = { reservationId: randomUUID(), orderId: id, warehouse: 'WH-B', sku: first.sku, quantity: 1, batch: 2, released: false };
    await orders.saveReservations(world.sut.dataSource.manager, [{ ...first, quantity: 99 }, second]);
    expect(await orders.reservations(world.sut.dataSource.manager, id)).toEqual([first, second]);
    await orders.saveReservations(world.sut.dataSource.manager, []);

    await orders.releaseReservations(world.sut.dataSource.manager, id, [second.reservationId]);
    expect((await orders.reservations(world.sut.dataSource.manager, id)).map((r) => r.released)).toEqual([false, true]);
    await orders.releaseReservations(world.sut.dataSource.manager, id, 'all');
    expect((await orders.reservations(world.sut.dataSource.manager, id)).map((r) => r.released)).toEqual([true, true]);
  });
});
