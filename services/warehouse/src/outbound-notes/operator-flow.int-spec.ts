import { OutboundNoteProgressedV1, OutboundNoteShippedV1 } from '@skald/contracts';
import { asPlatform, waitFor } from '@skald/testing';
import { aCreateOutboundNotesCommand, aWarehouseEntry, unique } from '../../test/factories.js';
import { aShippedNote, asOperator, asOps, createNotes, outboxMessagesOf, startWarehouse, type WarehouseWorld } from '../../test/warehouse.js';
import { Shipment } from '../shipments/shipment.entity.js';
import { ShipmentsRepository } from '../shipments/shipments.repository.js';
import { OutboundNoteLine } from './outbound-note-line.entity.js';
import { OUTBOUND_NOTE_TRANSITIONS } from './outbound-note-status.js';
import { OutboundNote } from './outbound-note.entity.js';
import { OutboundNotesRepository } from './outbound-notes.repository.js';

describe('the operator flow on outbound notes: confirm → pick → pack → ship (real PostgreSQL and RabbitMQ)', () => {
  let world: WarehouseWorld;

  beforeAll(async () => {
    world = await startWarehouse();
  }, 60_000);

  afterAll(async () => {
    await world?.close();
  });

  const post = (path: string, headers: Record<string, string> = asOperator()) => world.sut.http().post(path).set(headers);
  const get = (path: string, headers: Record<string, string> = asOperator()) => world.sut.http().get(path).set(headers);

  /**
   * A new order with `count` notes; returns the note ids in command order. The warehouses' names
   * sort in command order, the order in which one command's notes are created.
   */
  async function newNotes(count = 1, tenantId?: string) {
    const prefix = `WH-${unique()}`;
    const command = aCreateOutboundNotesCommand({
      notes: Array.from({ length: count }, (_, i) => aWarehouseEntry({ warehouse: `${prefix}-${i + 1}` })),
    });
    const { created } = await createNotes(world, command, tenantId);
    return { command, ids: created.payload.notes.map((note) => note.noteId) };
  }

  it('takes a note through confirm, pick, pack and ship, stamping each step and publishing its event', async () => {
    const tenantId = 'tenant-flow';
    const { command, ids } = await newNotes(1, tenantId);
    const [noteId] = ids;
    const entry = command.notes[0];

    const steps = [
      ['confirm', 'confirmed', 'confirmedAt'],
      ['pick', 'picking', 'pickingAt'],
      ['pack', 'packed', 'packedAt'],
    ] as const;
    for (const [step, status, stamp] of steps) {
      const res = await post(`/v1/outbound-notes/${noteId}/${step}`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: noteId, status, [stamp]: expect.any(String), shippedAt: null, shipment: null });

      const event = await world.probe.next(OutboundNoteProgressedV1, (p) => p.noteId === noteId && p.status === status);
      expect(event.payload).toEqual({ noteId, orderId: command.orderId, warehouse: entry.warehouse, status, at: res.body[stamp] });
      // Caused by an HTTP request, not a message: the note's platform and order saga, no causation.
      expect(event).toMatchObject({ tenantId, correlationId: command.orderId, causationId: null });
    }

    const shipped = await post(`/v1/outbound-notes/${noteId}/ship`).send({ carrier: 'SF Express', trackingNumber: 'SF1000200030' });
    expect(shipped.status).toBe(200);
    const { shipment } = shipped.body;
    expect(shipped.body).toMatchObject({ status: 'shipped', shippedAt: expect.any(String) });
    expect(shipment).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      carrier: 'SF Express',
      trackingNumber: 'SF1000200030',
      shippedAt: shipped.body.shippedAt,
      deliveredAt: null,
    });
    const event = await world.probe.next(OutboundNoteShippedV1, (p) => p.noteId === noteId);
    expect(event.payload).toEqual({
      noteId,
      orderId: command.orderId,
      warehouse: entry.warehouse,
      shipmentId: shipment.id,
      carrier: 'SF Express',
      trackingNumber: 'SF1000200030',
      lines: entry.lines,
      shippedAt: shipped.body.shippedAt,
    });
    expect(event).toMatchObject({ tenantId, correlationId: command.orderId });

    const read = await get(`/v1/outbound-notes/${noteId}`);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(shipped.body);
    const times = ['createdAt', 'confirmedAt', 'pickingAt', 'packedAt', 'shippedAt'].map((field) => Date.parse(read.body[field]));
    expect(times.every((time, i) => i === 0 || time >= times[i - 1])).toBe(true);
  });

  it("lists notes filtered by status, warehouse, order and the order's platform id, oldest first, page by page", async () => {
    const { command, ids } = await newNotes(3);
    const [a, b, c] = ids;
    expect((await post(`/v1/outbound-notes/${b}/confirm`)).status).toBe(200);

    const confirmed = await get(`/v1/outbound-notes?status=confirmed&orderId=${command.orderId}`);
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toEqual({ items: [expect.objectContaining({ id: b, status: 'confirmed' })], nextCursor: null });

    const created = await get(`/v1/outbound-notes?status=created&orderId=${command.orderId}`);
    expect(created.body.items.map((note: { id: string }) => note.id)).toEqual([a, c]);

    const inWarehouse = await get(`/v1/outbound-notes?warehouse=${command.notes[2].warehouse}`, asOps());
    expect(inWarehouse.status).toBe(200);
    expect(inWarehouse.body.items.map((note: { id: string }) => note.id)).toEqual([c]);
    expect(inWarehouse.body.items[0]).toMatchObject({ warehouse: command.notes[2].warehouse, lines: command.notes[2].lines });

    const first = await get(`/v1/outbound-notes?orderId=${command.orderId}&limit=2`);
    expect(first.body.items.map((note: { id: string }) => note.id)).toEqual([a, b]);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const rest = await get(`/v1/outbound-notes?orderId=${command.orderId}&limit=2&cursor=${first.body.nextCursor}`);
    expect(rest.body).toEqual({ items: [expect.objectContaining({ id: c })], nextCursor: null });

    // The platform's order id, as the customer on the phone knows it; another order's notes stay out.
    await newNotes(1);
    const byExternalId = await get(`/v1/outbound-notes?externalId=${encodeURIComponent(command.externalId)}`, asOps());
    expect(byExternalId.status).toBe(200);
    expect(byExternalId.body.items.map((note: { id: string; orderId: string }) => [note.id, note.orderId])).toEqual(ids.map((id) => [id, command.orderId]));
    const byBoth = await get(`/v1/outbound-notes?externalId=${encodeURIComponent(command.externalId)}&orderId=${command.orderId}&status=confirmed`);
    expect(byBoth.body.items.map((note: { id: string }) => note.id)).toEqual([b]);
    expect((await get(`/v1/outbound-notes?externalId=EXT-none-${unique()}`)).body).toEqual({ items: [], nextCursor: null });

    const badCursor = await get(`/v1/outbound-notes?cursor=not-a-cursor`);
    expect(badCursor.status).toBe(400);
    expect(badCursor.body).toMatchObject({ code: 'INVALID_CURSOR' });
    const badFilter = await get(`/v1/outbound-notes?status=lost&limit=0`);
    expect(badFilter.status).toBe(400);
    expect(badFilter.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['limit', 'status']);
  });

  it('refuses a step from the wrong status with 409 NOTE_STATUS_CONFLICT, changing and publishing nothing', async () => {
    const { ids } = await newNotes();
    const [noteId] = ids;

    for (const step of ['pick', 'pack']) {
      const res = await post(`/v1/outbound-notes/${noteId}/${step}`);
      expect(res.status).toBe(409);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ status: 409, code: 'NOTE_STATUS_CONFLICT', currentStatus: 'created', noteId });
    }
    const early = await post(`/v1/outbound-notes/${noteId}/ship`).send({ carrier: 'SF Express', trackingNumber: 'SF1' });
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({ code: 'NOTE_STATUS_CONFLICT', currentStatus: 'created', expectedStatus: ['packed'] });

    expect((await post(`/v1/outbound-notes/${noteId}/confirm`)).status).toBe(200);
    const twice = await post(`/v1/outbound-notes/${noteId}/confirm`);
    expect(twice.status).toBe(409);
    expect(twice.body).toMatchObject({ code: 'NOTE_STATUS_CONFLICT', currentStatus: 'confirmed' });

    const read = await get(`/v1/outbound-notes/${noteId}`);
    expect(read.body).toMatchObject({ status: 'confirmed', pickingAt: null, packedAt: null, shippedAt: null, shipment: null });
    // Only the one confirm reached the outbox: a refused step writes nothing, not even later.
    const published = await outboxMessagesOf(world, OutboundNoteProgressedV1.routingKey, { noteId });
    expect(published.map((envelope) => envelope.payload.status)).toEqual(['confirmed']);
    expect(await outboxMessagesOf(world, OutboundNoteShippedV1.routingKey, { noteId })).toEqual([]);
  });

  it('answers 404 for an unknown note and 400 for a malformed id', async () => {
    const unknown = '6f1d7c1e-3b0a-4a5e-9d59-0c1b2a3d4e5f';
    for (const res of [await get(`/v1/outbound-notes/${unknown}`), await post(`/v1/outbound-notes/${unknown}/confirm`)]) {
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ code: 'OUTBOUND_NOTE_NOT_FOUND' });
    }
    const malformed = await post(`/v1/outbound-notes/not-a-uuid/pick`);
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [expect.objectContaining({ field: 'id' })] });
  });

  it('refuses a bad ship body with a problem listing the fields, and the note stays packed', async () => {
    const { ids } = await newNotes();
    const [noteId] = ids;
    for (const step of ['confirm', 'pick', 'pack']) expect((await post(`/v1/outbound-notes/${noteId}/${step}`)).status).toBe(200);

    const res = await post(`/v1/outbound-notes/${noteId}/ship`).send({ trackingNumber: '   ', weight: 3 });

    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect([...new Set(res.body.errors.map((e: { field: string }) => e.field))].sort()).toEqual(['carrier', 'trackingNumber', 'weight']);
    expect((await get(`/v1/outbound-notes/${noteId}`)).body).toMatchObject({ status: 'packed', shipment: null });
    expect(await outboxMessagesOf(world, OutboundNoteShippedV1.routingKey, { noteId })).toEqual([]);
  });

  it('lets only warehouse staff work notes and warehouse or ops staff read them', async () => {
    const { ids } = await newNotes();
    const [noteId] = ids;

    const platform = asPlatform('tenant-flow');
    expect((await get('/v1/outbound-notes', platform)).status).toBe(403);
    expect((await get(`/v1/outbound-notes/${noteId}`, platform)).status).toBe(403);
    const asPlatformConfirm = await post(`/v1/outbound-notes/${noteId}/confirm`, platform);
    expect(asPlatformConfirm.status).toBe(403);
    expect(asPlatformConfirm.body).toMatchObject({ code: 'FORBIDDEN' });
    expect((await post(`/v1/outbound-notes/${noteId}/confirm`, asOps())).status).toBe(403);

    const anonymous = await world.sut.http().post(`/v1/outbound-notes/${noteId}/confirm`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect((await world.sut.http().get('/v1/outbound-notes')).status).toBe(401);

    expect((await get(`/v1/outbound-notes/${noteId}`, asOps())).status).toBe(200);
    expect((await get(`/v1/outbound-notes/${noteId}`)).body).toMatchObject({ status: 'created' });
  });

  it('lets exactly one of two operators racing to pick the same note succeed', async () => {
    const { ids } = await newNotes();
    const [noteId] = ids;
    expect((await post(`/v1/outbound-notes/${noteId}/confirm`)).status).toBe(200);

    const results = await Promise.all([post(`/v1/outbound-notes/${noteId}/pick`), post(`/v1/outbound-notes/${noteId}/pick`)]);

    expect(results.map((res) => res.status).sort()).toEqual([200, 409]);
    expect(results.find((res) => res.status === 409)?.body).toMatchObject({ code: 'NOTE_STATUS_CONFLICT', currentStatus: 'picking' });
    const published = await outboxMessagesOf(world, OutboundNoteProgressedV1.routingKey, { noteId });
    expect(published.map((envelope) => envelope.payload.status)).toEqual(['confirmed', 'picking']);
    await waitFor('the picking event', () => world.probe.messages(OutboundNoteProgressedV1, (p) => p.noteId === noteId && p.status === 'picking').length === 1);
  });

  /**
   * The reads of creating notes and of the operator's steps are plain SQL: their rows come back as
   * TypeORM hydrates the entities (same class, properties and types: seq as a string, ship_to
   * parsed, timestamptz as Date).
   */
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
