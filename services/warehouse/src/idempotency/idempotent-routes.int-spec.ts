import { OutboundNoteProgressedV1, OutboundNoteShippedV1, ShipmentDeliveredV1 } from '@skald/contracts';
import { anIdempotencyKey } from '@skald/testing';
import { aCreateOutboundNotesCommand, aWarehouseEntry } from '../../test/factories.js';
import { aShippedNote, asOperator, createNotes, outboxMessagesOf, startWarehouse, type WarehouseWorld } from '../../test/warehouse.js';

describe('idempotent operator steps and delivery callbacks of warehouse (real PostgreSQL and RabbitMQ)', () => {
  let world: WarehouseWorld;

  beforeAll(async () => {
    world = await startWarehouse();
  }, 60_000);

  afterAll(async () => {
    await world?.close();
  });

  const post = (path: string, key: Record<string, string>, body: object = {}) => world.sut.http().post(path).set(asOperator()).set(key).send(body);

  async function aNewNote(): Promise<string> {
    const { created } = await createNotes(world, aCreateOutboundNotesCommand({ notes: [aWarehouseEntry()] }));
    return created.payload.notes[0].noteId;
  }

  it('answers each repeated step of a note (confirm, pick, pack, ship) with its first outcome, taking it once', async () => {
    const noteId = await aNewNote();
    const steps: Array<[string, object]> = [
      ['confirm', {}],
      ['pick', {}],
      ['pack', {}],
      ['ship', { carrier: 'SF Express', trackingNumber: 'SF1000200099' }],
    ];

    for (const [step, body] of steps) {
      const key = anIdempotencyKey();
      const first = await post(`/v1/outbound-notes/${noteId}/${step}`, key, body);
      const again = await post(`/v1/outbound-notes/${noteId}/${step}`, key, body);

      expect([step, first.status, first.headers['idempotent-replayed']]).toEqual([step, 200, undefined]);
      expect([step, again.status, again.headers['idempotent-replayed']]).toEqual([step, 200, 'true']);
      expect(again.body).toEqual(first.body);
    }

    const progressed = await outboxMessagesOf(world, OutboundNoteProgressedV1.routingKey, { noteId });
    expect(progressed.map((envelope) => envelope.payload.status)).toEqual(['confirmed', 'picking', 'packed']);
    expect(await outboxMessagesOf(world, OutboundNoteShippedV1.routingKey, { noteId })).toHaveLength(1);
    expect(await world.sut.dataSource.query(`SELECT id FROM shipment WHERE note_id = $1`, [noteId])).toHaveLength(1);
  });

  it('answers a repeated delivery callback with its first outcome and publishes ShipmentDelivered once', async () => {
    const { note } = await aShippedNote(world);
    const { id: shipmentId } = note.shipment;
    const key = anIdempotencyKey();

    const first = await post(`/v1/shipments/${shipmentId}/delivered`, key);
    const again = await post(`/v1/shipments/${shipmentId}/delivered`, key);

    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(await outboxMessagesOf(world, ShipmentDeliveredV1.routingKey, { shipmentId })).toHaveLength(1);
  });

  it("refuses a step's key for another note with 422 IDEMPOTENCY_KEY_REUSED, leaving that note as it was", async () => {
    const [one, other] = [await aNewNote(), await aNewNote()];
    const key = anIdempotencyKey();
    await post(`/v1/outbound-notes/${one}/confirm`, key);

    const reused = await post(`/v1/outbound-notes/${other}/confirm`, key);

    expect(reused.status).toBe(422);
    expect(reused.body).toMatchObject({ status: 422, code: 'IDEMPOTENCY_KEY_REUSED' });
    const read = await world.sut.http().get(`/v1/outbound-notes/${other}`).set(asOperator());
    expect(read.body.status).toBe('created');
  });
});
