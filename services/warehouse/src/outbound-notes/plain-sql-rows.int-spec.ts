import { ShipmentsRepository } from '../shipments/shipments.repository.js';
import { Shipment } from '../shipments/shipment.entity.js';
import { aCreateOutboundNotesCommand, aWarehouseEntry } from '../../test/factories.js';
import { aShippedNote, createNotes, startWarehouse, type WarehouseWorld } from '../../test/warehouse.js';
import { OutboundNoteLine } from './outbound-note-line.entity.js';
import { OUTBOUND_NOTE_TRANSITIONS } from './outbound-note-status.js';
import { OutboundNote } from './outbound-note.entity.js';
import { OutboundNotesRepository } from './outbound-notes.repository.js';

/**
 * The reads of creating notes and of the operator's steps are plain SQL: their rows come back as
 * TypeORM hydrates the entities (same class, properties and types: seq as a string, ship_to
 * parsed, timestamptz as Date).
 */
describe('warehouse repositories: plain-SQL rows as TypeORM reads them (real PostgreSQL and RabbitMQ)', () => {
  let world: WarehouseWorld;

  beforeAll(async () => {
    world = await startWarehouse();
  });

  afterAll(async () => {
    await world?.close();
  });

  it('notes, their lines (also as a step returns them), shipments; the cancellation of open notes', async () => {
    const { note: shipped } = await aShippedNote(world);
    const command = aCreateOutboundNotesCommand({ notes: [aWarehouseEntry(), aWarehouseEntry()] });
    await createNotes(world, command);
    const notes = world.sut.app.get(OutboundNotesRepository);
    const shipments = world.sut.app.get(ShipmentsRepository);
    const rollback = new Error('rolled back: the step and the cancellation were the test’s own');

    const checks = world.sut.dataSource.transaction(async (manager) => {
      const hydrated = await manager.find(OutboundNote, { where: { orderId: command.orderId }, order: { seq: 'ASC' } });
      expect(hydrated).toHaveLength(2);
      const ids = hydrated.map((note) => note.id);
      expect(await notes.findOfOrder(manager, command.orderId)).toStrictEqual(hydrated);
      expect(await notes.findOfOrder(manager, command.orderId, [ids[1]])).toStrictEqual([hydrated[1]]);
      expect(await notes.findOfBatch(manager, command.orderId, 1, [hydrated[1].warehouse])).toStrictEqual([hydrated[1]]);
      expect(await notes.findById(manager, ids[0])).toStrictEqual(hydrated[0]);
      expect(await notes.findById(manager, shipped.id)).toStrictEqual(await manager.findOneBy(OutboundNote, { id: shipped.id }));

      const lines = (id: string) => manager.find(OutboundNoteLine, { where: { noteId: id }, order: { lineNo: 'ASC' } });
      expect(await notes.linesOf(manager, ids)).toStrictEqual(new Map([[ids[0], await lines(ids[0])], [ids[1], await lines(ids[1])]]));

      const shipment = await manager.findOneByOrFail(Shipment, { noteId: shipped.id });
      expect(await shipments.findById(manager, shipment.id)).toStrictEqual(shipment);
      expect(await shipments.byNote(manager, [shipped.id, ids[0]])).toStrictEqual(new Map([[shipped.id, shipment]]));

      const at = new Date();
      const moved = await notes.transition(manager, ids[0], OUTBOUND_NOTE_TRANSITIONS.confirm, at);
      expect(moved).toStrictEqual({ note: await manager.findOneBy(OutboundNote, { id: ids[0] }), lines: await lines(ids[0]) });
      expect(moved?.note.confirmedAt).toEqual(at);

      const cancelled = await notes.cancelOpen(manager, command.orderId, undefined, { reason: 'order cancelled', at });
      const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);
      expect(cancelled.sort(byId)).toStrictEqual(
        [
          { id: ids[0], previousStatus: 'confirmed' },
          { id: ids[1], previousStatus: 'created' },
        ].sort(byId),
      );
      throw rollback;
    });
    await expect(checks).rejects.toBe(rollback);
  });
});
