import { AmqpConnection, DeadLetterQueue } from '@skald/messaging';
import { CreateOutboundNotesV1, OutboundNotesCreatedV1 } from '@skald/contracts';
import { waitFor } from '@skald/testing';
import { aCreateOutboundNotesCommand, aLine, aWarehouseEntry } from '../../test/factories.js';
import { asOperator, createNotes, startWarehouse, type WarehouseWorld } from '../../test/warehouse.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('warehouse.create-outbound-notes (real PostgreSQL and RabbitMQ)', () => {
  let world: WarehouseWorld;

  beforeAll(async () => {
    world = await startWarehouse();
  }, 60_000);

  afterAll(async () => {
    await world?.close();
  });

  async function notesOfOrder(orderId: string): Promise<Array<{ id: string; warehouse: string }>> {
    return world.sut.dataSource.query(`SELECT id, warehouse FROM outbound_note WHERE order_id = $1 ORDER BY warehouse`, [orderId]);
  }

  it('creates one note per warehouse of a split order; the same command re-sent creates nothing new and announces the same notes', async () => {
    const [first, second] = [aWarehouseEntry(), aWarehouseEntry({ lines: [aLine({ quantity: 5 })] })];
    const command = aCreateOutboundNotesCommand({ notes: [first, second] });
    const tenantId = 'tenant-split';

    const { created } = await createNotes(world, command, tenantId);

    expect(created).toMatchObject({ tenantId, correlationId: command.orderId });
    expect(created.payload).toEqual({
      orderId: command.orderId,
      externalId: command.externalId,
      notes: [
        { noteId: expect.stringMatching(UUID), warehouse: first.warehouse, lines: first.lines },
        { noteId: expect.stringMatching(UUID), warehouse: second.warehouse, lines: second.lines },
      ],
      batch: 1,
    });
    const [firstId, secondId] = created.payload.notes.map((note) => note.noteId);
    expect(firstId).not.toBe(secondId);

    const read = await world.sut.http().get(`/v1/outbound-notes/${secondId}`).set(asOperator());
    expect(read.status).toBe(200);
    expect(read.body).toEqual({
      id: secondId,
      orderId: command.orderId,
      externalId: command.externalId,
      tenantId,
      warehouse: second.warehouse,
      batch: 1,
      status: 'created',
      lines: second.lines,
      recipientName: command.recipientName,
      recipientPhone: '+86 21 5555 0100',
      recipientCompany: 'Pudong Trading Co.',
      shipTo: command.shipTo,
      createdAt: expect.any(String),
      confirmedAt: null,
      pickingAt: null,
      packedAt: null,
      shippedAt: null,
      cancelledAt: null,
      cancelReason: null,
      restockRequired: false,
      shipment: null,
    });

    // The saga re-sends its command (a new message id): the inbox does not dedup it, the notes must.
    const { created: again } = await createNotes(world, command, tenantId);
    expect(again.id).not.toBe(created.id);
    expect(again.payload).toEqual(created.payload);
    expect(await notesOfOrder(command.orderId)).toHaveLength(2);
    const [{ count }] = await world.sut.dataSource.query(
      `SELECT count(*)::int AS count FROM outbound_note_line l JOIN outbound_note n ON n.id = l.note_id WHERE n.order_id = $1`,
      [command.orderId],
    );
    expect(count).toBe(first.lines.length + second.lines.length);
  });

  it('keeps a command from before the recipient phone and company (none on the note), and dead-letters a malformed phone', async () => {
    const { recipientPhone: _phone, recipientCompany: _company, ...older } = aCreateOutboundNotesCommand({ notes: [aWarehouseEntry()] });
    const { created } = await createNotes(world, older);
    const read = await world.sut.http().get(`/v1/outbound-notes/${created.payload.notes[0].noteId}`).set(asOperator());
    expect(read.body).toMatchObject({ recipientName: older.recipientName, recipientPhone: null, recipientCompany: null });

    const bad = aCreateOutboundNotesCommand({ recipientPhone: 'call reception' });
    const sent = world.probe.publish(CreateOutboundNotesV1, bad, { tenantId: 'tenant-bad-phone', correlationId: bad.orderId });
    const dlq = new DeadLetterQueue(world.sut.app.get(AmqpConnection), 'warehouse');
    const letter = await waitFor('dead letter', async () => (await dlq.list()).find((l) => l.messageId === sent.id));
    expect(JSON.stringify(letter)).toMatch(/recipientPhone/);
    expect(await notesOfOrder(bad.orderId)).toEqual([]);
  });

  it('creates batch 2 of an order for a warehouse that has batch 1, and answers with that batch and its notes only', async () => {
    const entry = aWarehouseEntry();
    const first = aCreateOutboundNotesCommand({ notes: [entry, aWarehouseEntry()] });
    const { created: batch1 } = await createNotes(world, first, 'tenant-batch');
    expect(batch1.payload.batch).toBe(1);

    // The backordered rest of the order, later, from the first warehouse only, with other lines.
    const rest = { ...first, batch: 2, notes: [{ warehouse: entry.warehouse, lines: [aLine({ quantity: 7 })] }] };
    const { created: batch2 } = await createNotes(world, rest, 'tenant-batch');

    expect(batch2.payload).toEqual({
      orderId: first.orderId,
      externalId: first.externalId,
      batch: 2,
      notes: [{ noteId: expect.stringMatching(UUID), warehouse: entry.warehouse, lines: rest.notes[0].lines }],
    });
    const [{ noteId }] = batch2.payload.notes;
    expect(batch1.payload.notes.map((note) => note.noteId)).not.toContain(noteId);
    const read = await world.sut.http().get(`/v1/outbound-notes/${noteId}`).set(asOperator());
    expect(read.body).toMatchObject({ id: noteId, warehouse: entry.warehouse, batch: 2, status: 'created', lines: rest.notes[0].lines });

    // Re-sent, each batch finds its own notes.
    expect((await createNotes(world, rest, 'tenant-batch')).created.payload).toEqual(batch2.payload);
    expect((await createNotes(world, first, 'tenant-batch')).created.payload).toEqual(batch1.payload);
    expect(await notesOfOrder(first.orderId)).toHaveLength(3);
  });

  it('creates the notes once when two copies of the command are handled at the same time', async () => {
    const command = aCreateOutboundNotesCommand({ notes: [aWarehouseEntry(), aWarehouseEntry(), aWarehouseEntry()] });
    const copies = [1, 2].map(() => world.probe.publish(CreateOutboundNotesV1, command, { tenantId: 'tenant-race', correlationId: command.orderId }));

    const announced = await waitFor('both copies answered', () => {
      const found = world.probe.messages(OutboundNotesCreatedV1, (payload) => payload.orderId === command.orderId);
      return found.length === 2 ? found : undefined;
    });

    expect(announced.map((message) => message.causationId).sort()).toEqual(copies.map((copy) => copy.id).sort());
    expect(announced[0].payload).toEqual(announced[1].payload);
    const stored = await notesOfOrder(command.orderId);
    expect(stored).toHaveLength(3);
    expect(announced[0].payload.notes.map((note) => note.noteId).sort()).toEqual(stored.map((note) => note.id).sort());
  });

  it('dead-letters a command whose lines differ from the notes it would re-create, and changes nothing', async () => {
    const command = aCreateOutboundNotesCommand();
    const { created } = await createNotes(world, command);
    const [entry, other] = command.notes;
    const conflicting = { ...command, notes: [{ ...entry, lines: [aLine({ sku: entry.lines[0].sku, quantity: 99 })] }, other] };

    const sent = world.probe.publish(CreateOutboundNotesV1, conflicting, { tenantId: created.tenantId, correlationId: command.orderId });

    const dlq = new DeadLetterQueue(world.sut.app.get(AmqpConnection), 'warehouse');
    const letter = await waitFor('dead letter', async () => (await dlq.list()).find((l) => l.messageId === sent.id));
    expect(letter).toMatchObject({ reason: 'NON_RETRYABLE_ERROR', error: expect.stringMatching(/^OUTBOUND_NOTE_CONFLICT: /) });
    expect(world.probe.messages(OutboundNotesCreatedV1, (_payload, envelope) => envelope.causationId === sent.id)).toEqual([]);
    const [{ quantity }] = await world.sut.dataSource.query(
      `SELECT quantity FROM outbound_note_line WHERE note_id = $1 AND line_no = 1`,
      [created.payload.notes[0].noteId],
    );
    expect(quantity).toBe(entry.lines[0].quantity);
  });

  it('dead-letters a command that lists a warehouse twice and creates no note', async () => {
    const entry = aWarehouseEntry();
    const command = aCreateOutboundNotesCommand({ notes: [entry, { ...entry, lines: [aLine()] }] });

    const sent = world.probe.publish(CreateOutboundNotesV1, command, { tenantId: 'tenant-dup', correlationId: command.orderId });

    const dlq = new DeadLetterQueue(world.sut.app.get(AmqpConnection), 'warehouse');
    const letter = await waitFor('dead letter', async () => (await dlq.list()).find((l) => l.messageId === sent.id));
    expect(letter).toMatchObject({ reason: 'NON_RETRYABLE_ERROR', error: expect.stringMatching(/^OUTBOUND_NOTES_DUPLICATE_WAREHOUSE: /) });
    expect(await notesOfOrder(command.orderId)).toEqual([]);
  });
});
