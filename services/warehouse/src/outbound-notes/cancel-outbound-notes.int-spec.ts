import { randomUUID } from 'node:crypto';
import { AmqpConnection, DeadLetterQueue } from '@skald/messaging';
import { CancelOutboundNotesV1, CreateOutboundNotesV1, OutboundNotesCancelledV1, OutboundNotesCreatedV1 } from '@skald/contracts';
import { waitFor } from '@skald/testing';
import { aCreateOutboundNotesCommand, aWarehouseEntry, unique } from '../../test/factories.js';
import { asOperator, cancelNotes, createNotes, startWarehouse, type WarehouseWorld } from '../../test/warehouse.js';

describe('warehouse.cancel-outbound-notes (real PostgreSQL and RabbitMQ)', () => {
  let world: WarehouseWorld;

  beforeAll(async () => {
    world = await startWarehouse();
  }, 60_000);

  afterAll(async () => {
    await world?.close();
  });

  const post = (path: string) => world.sut.http().post(path).set(asOperator());
  const get = (path: string) => world.sut.http().get(path).set(asOperator());
  const ship = (noteId: string) => post(`/v1/outbound-notes/${noteId}/ship`).send({ carrier: 'SF Express', trackingNumber: `SF${unique()}` });

  /** A new order with `count` notes (warehouses named in command order); the command and note ids. */
  async function newOrder(count = 1, tenantId = `tenant-${unique()}`) {
    const prefix = `WH-${unique()}`;
    const command = aCreateOutboundNotesCommand({
      notes: Array.from({ length: count }, (_, i) => aWarehouseEntry({ warehouse: `${prefix}-${i + 1}` })),
    });
    const { created } = await createNotes(world, command, tenantId);
    return { command, tenantId, ids: created.payload.notes.map((note) => note.noteId) };
  }

  /** Takes the note through the operator's steps, in order. */
  async function advance(noteId: string, steps: string[]) {
    for (const step of steps) {
      const res = step === 'ship' ? await ship(noteId) : await post(`/v1/outbound-notes/${noteId}/${step}`);
      if (res.status !== 200) throw new Error(`${step} of ${noteId}: ${res.status} ${JSON.stringify(res.body)}`);
    }
  }

  async function statusOf(noteId: string): Promise<string> {
    const [{ status }] = await world.sut.dataSource.query(`SELECT status FROM outbound_note WHERE id = $1`, [noteId]);
    return status;
  }

  it('cancels every open note of an order from created, confirmed, picking and packed; picked goods are flagged to go back', async () => {
    const { command, tenantId, ids } = await newOrder(4);
    const [created, confirmed, picking, packed] = ids;
    await advance(confirmed, ['confirm']);
    await advance(picking, ['confirm', 'pick']);
    await advance(packed, ['confirm', 'pick', 'pack']);

    const answer = await cancelNotes(world, { orderId: command.orderId, reason: 'customer cancelled' }, tenantId);

    expect(answer).toMatchObject({ tenantId, correlationId: command.orderId });
    expect(answer.payload).toEqual({
      orderId: command.orderId,
      reason: 'customer cancelled',
      cancelled: [
        { noteId: created, warehouse: command.notes[0].warehouse, previousStatus: 'created', restocked: false, lines: command.notes[0].lines },
        { noteId: confirmed, warehouse: command.notes[1].warehouse, previousStatus: 'confirmed', restocked: false, lines: command.notes[1].lines },
        { noteId: picking, warehouse: command.notes[2].warehouse, previousStatus: 'picking', restocked: true, lines: command.notes[2].lines },
        { noteId: packed, warehouse: command.notes[3].warehouse, previousStatus: 'packed', restocked: true, lines: command.notes[3].lines },
      ],
      shipped: [],
    });

    const read = await get(`/v1/outbound-notes/${packed}`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({
      id: packed,
      status: 'cancelled',
      cancelledAt: expect.any(String),
      cancelReason: 'customer cancelled',
      restockRequired: true,
      packedAt: expect.any(String),
      shippedAt: null,
      shipment: null,
    });
    expect((await get(`/v1/outbound-notes/${created}`)).body).toMatchObject({ status: 'cancelled', restockRequired: false });

    const listed = await get(`/v1/outbound-notes?status=cancelled&orderId=${command.orderId}`);
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((note: { id: string }) => note.id)).toEqual(ids);
    expect((await get(`/v1/outbound-notes?status=created&orderId=${command.orderId}`)).body.items).toEqual([]);
  });

  it('answers a re-sent cancel with the same notes as cancelled before, changing nothing', async () => {
    const { command, tenantId, ids } = await newOrder(2);
    await advance(ids[1], ['confirm', 'pick']);
    const first = await cancelNotes(world, { orderId: command.orderId, reason: 'payment failed' }, tenantId);
    const before = await world.sut.dataSource.query(`SELECT id, cancelled_at, cancel_reason, restock_required FROM outbound_note WHERE order_id = $1 ORDER BY id`, [
      command.orderId,
    ]);

    const again = await cancelNotes(world, { orderId: command.orderId, reason: 'payment failed (retry)' }, tenantId);

    expect(again.id).not.toBe(first.id);
    expect(again.payload).toEqual({
      ...first.payload,
      reason: 'payment failed (retry)',
      cancelled: first.payload.cancelled.map((note) => ({ ...note, previousStatus: 'cancelled' })),
    });
    expect(again.payload.cancelled.map((note) => note.restocked)).toEqual([false, true]);
    const after = await world.sut.dataSource.query(`SELECT id, cancelled_at, cancel_reason, restock_required FROM outbound_note WHERE order_id = $1 ORDER BY id`, [
      command.orderId,
    ]);
    expect(after).toEqual(before);
  });

  it('reports a note that had shipped under `shipped` and cancels the rest', async () => {
    const { command, ids } = await newOrder(2);
    await advance(ids[0], ['confirm', 'pick', 'pack', 'ship']);

    const answer = await cancelNotes(world, { orderId: command.orderId, reason: 'too late for one' });

    expect(answer.payload.shipped).toEqual([{ noteId: ids[0], warehouse: command.notes[0].warehouse }]);
    expect(answer.payload.cancelled.map((note) => [note.noteId, note.previousStatus])).toEqual([[ids[1], 'created']]);
    expect(await statusOf(ids[0])).toBe('shipped');
  });

  it('creates nothing for a create command that arrives after the order was cancelled, and answers with no notes', async () => {
    const command = aCreateOutboundNotesCommand();
    const tenantId = `tenant-${unique()}`;

    const answer = await cancelNotes(world, { orderId: command.orderId, reason: 'cancelled before the notes' }, tenantId);
    expect(answer.payload).toEqual({ orderId: command.orderId, reason: 'cancelled before the notes', cancelled: [], shipped: [] });

    const { created } = await createNotes(world, command, tenantId);
    expect(created.payload).toEqual({ orderId: command.orderId, externalId: command.externalId, notes: [], batch: 1 });
    const { created: later } = await createNotes(world, { ...command, batch: 2 }, tenantId);
    expect(later.payload).toMatchObject({ notes: [], batch: 2 });
    expect(await world.sut.dataSource.query(`SELECT id FROM outbound_note WHERE order_id = $1`, [command.orderId])).toEqual([]);
  });

  it('cancels only the named notes; the order may still get notes later', async () => {
    const { command, tenantId, ids } = await newOrder(3);
    await advance(ids[2], ['confirm']);

    const answer = await cancelNotes(world, { orderId: command.orderId, reason: 'rest cancelled', noteIds: [ids[2], ids[1]] }, tenantId);

    expect(answer.payload.cancelled.map((note) => [note.noteId, note.previousStatus])).toEqual([
      [ids[1], 'created'],
      [ids[2], 'confirmed'],
    ]);
    expect(answer.payload.shipped).toEqual([]);
    expect(await statusOf(ids[0])).toBe('created');
    const { created } = await createNotes(world, { ...command, batch: 2, notes: [aWarehouseEntry()] }, tenantId);
    expect(created.payload.notes).toHaveLength(1);
  });

  it('dead-letters a cancel naming a note that is not one of the order, cancelling nothing', async () => {
    const { command, tenantId, ids } = await newOrder(1);
    const stranger = randomUUID();

    const sent = world.probe.publish(
      CancelOutboundNotesV1,
      { orderId: command.orderId, reason: 'wrong note', noteIds: [ids[0], stranger] },
      { tenantId, correlationId: command.orderId },
    );

    const dlq = new DeadLetterQueue(world.sut.app.get(AmqpConnection), 'warehouse');
    const letter = await waitFor('dead letter', async () => (await dlq.list()).find((l) => l.messageId === sent.id));
    expect(letter).toMatchObject({ reason: 'NON_RETRYABLE_ERROR', error: expect.stringMatching(new RegExp(`^OUTBOUND_NOTE_NOT_FOUND: .*${stranger}`)) });
    expect(await statusOf(ids[0])).toBe('created');
    expect(world.probe.messages(OutboundNotesCancelledV1, (_payload, envelope) => envelope.causationId === sent.id)).toEqual([]);
  });

  it('refuses every operator step on a cancelled note with 409 NOTE_STATUS_CONFLICT', async () => {
    const { command, ids } = await newOrder(1);
    const [noteId] = ids;
    await advance(noteId, ['confirm']);
    await cancelNotes(world, { orderId: command.orderId, reason: 'cancelled' });

    for (const step of ['confirm', 'pick', 'pack', 'ship']) {
      const res = step === 'ship' ? await ship(noteId) : await post(`/v1/outbound-notes/${noteId}/${step}`);
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ code: 'NOTE_STATUS_CONFLICT', currentStatus: 'cancelled', noteId });
    }
    expect((await get(`/v1/outbound-notes/${noteId}`)).body).toMatchObject({ status: 'cancelled', pickingAt: null, shipment: null });
  });

  it('ends a ship racing a cancel consistently: shipped and reported under `shipped`, or cancelled and the ship refused', async () => {
    const rounds = 24;
    const orders = await Promise.all(Array.from({ length: rounds }, () => newOrder(1)));
    await Promise.all(orders.map(({ ids }) => advance(ids[0], ['confirm', 'pick', 'pack'])));

    // The cancel leaves a little later round by round, so that both sides win some of the rounds.
    const outcomes = await Promise.all(
      orders.map(async ({ command, tenantId, ids: [noteId] }, round) => {
        const cancel = async () => {
          await new Promise((resolve) => setTimeout(resolve, (round % 8) * 4));
          return cancelNotes(world, { orderId: command.orderId, reason: 'race' }, tenantId);
        };
        const [shipped, answer] = await Promise.all([ship(noteId), cancel()]);
        return { noteId, shipped, answer: answer.payload, status: await statusOf(noteId) };
      }),
    );

    for (const { noteId, shipped, answer, status } of outcomes) {
      if (shipped.status === 200) {
        expect(status).toBe('shipped');
        expect(answer.shipped.map((note) => note.noteId)).toEqual([noteId]);
        expect(answer.cancelled).toEqual([]);
      } else {
        expect(shipped.status).toBe(409);
        expect(shipped.body).toMatchObject({ code: 'NOTE_STATUS_CONFLICT', currentStatus: 'cancelled' });
        expect(status).toBe('cancelled');
        expect(answer.shipped).toEqual([]);
        expect(answer.cancelled).toEqual([expect.objectContaining({ noteId, previousStatus: 'packed', restocked: true })]);
      }
    }
    const [{ count }] = await world.sut.dataSource.query(`SELECT count(*)::int AS count FROM shipment WHERE note_id = ANY($1::uuid[])`, [
      outcomes.filter((o) => o.status === 'cancelled').map((o) => o.noteId),
    ]);
    expect(count).toBe(0);
  }, 60_000);

  it('ends a create racing a whole-order cancel consistently: no open note is left either way', async () => {
    const rounds = 12;
    const results = await Promise.all(
      Array.from({ length: rounds }, async () => {
        const command = aCreateOutboundNotesCommand();
        const meta = { tenantId: 'tenant-race', correlationId: command.orderId };
        const create = world.probe.publish(CreateOutboundNotesV1, command, meta);
        const cancel = world.probe.publish(CancelOutboundNotesV1, { orderId: command.orderId, reason: 'race' }, meta);
        const created = await world.probe.next(OutboundNotesCreatedV1, (_p, envelope) => envelope.causationId === create.id);
        const cancelled = await world.probe.next(OutboundNotesCancelledV1, (_p, envelope) => envelope.causationId === cancel.id);
        const rows: Array<{ id: string; status: string }> = await world.sut.dataSource.query(
          `SELECT id, status FROM outbound_note WHERE order_id = $1 ORDER BY id`,
          [command.orderId],
        );
        return { created: created.payload, cancelled: cancelled.payload, rows };
      }),
    );

    for (const { created, cancelled, rows } of results) {
      expect(rows.every((row) => row.status === 'cancelled')).toBe(true);
      if (created.notes.length === 0) {
        expect(rows).toEqual([]);
        expect(cancelled.cancelled).toEqual([]);
      } else {
        expect(rows).toHaveLength(2);
        expect(cancelled.cancelled.map((note) => note.noteId).sort()).toEqual(created.notes.map((note) => note.noteId).sort());
      }
    }
  }, 60_000);
});
