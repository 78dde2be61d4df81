import { ShipmentDeliveredV1 } from '@skald/contracts';
import { asPlatform, waitFor } from '@skald/testing';
import { aShippedNote, asOperator, asOps, outboxMessagesOf, startWarehouse, type WarehouseWorld } from '../../test/warehouse.js';

describe("the carrier's delivery callback (real PostgreSQL and RabbitMQ)", () => {
  let world: WarehouseWorld;

  beforeAll(async () => {
    world = await startWarehouse();
  }, 60_000);

  afterAll(async () => {
    await world?.close();
  });

  const delivered = (shipmentId: string, body: object = {}, headers: Record<string, string> = asOperator()) =>
    world.sut.http().post(`/v1/shipments/${shipmentId}/delivered`).set(headers).send(body);

  it('records the delivery and publishes ShipmentDelivered once; a repeated callback returns the stored delivery', async () => {
    const { note, tenantId } = await aShippedNote(world, 'tenant-delivery');
    const { id: shipmentId } = note.shipment;
    const deliveredAt = new Date(Date.parse(note.shipment.shippedAt) + 1_000).toISOString();

    const first = await delivered(shipmentId, { deliveredAt }, asOps());

    expect(first.status).toBe(200);
    const stored = {
      id: shipmentId,
      noteId: note.id,
      orderId: note.orderId,
      carrier: 'SF Express',
      trackingNumber: expect.any(String),
      shippedAt: note.shipment.shippedAt,
      deliveredAt,
    };
    expect(first.body).toEqual(stored);
    const event = await world.probe.next(ShipmentDeliveredV1, (p) => p.shipmentId === shipmentId);
    expect(event.payload).toEqual({ shipmentId, noteId: note.id, orderId: note.orderId, deliveredAt });
    expect(event).toMatchObject({ tenantId, correlationId: note.orderId, causationId: null });

    const again = await delivered(shipmentId, { deliveredAt: new Date().toISOString() });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(await outboxMessagesOf(world, ShipmentDeliveredV1.routingKey, { shipmentId })).toHaveLength(1);

    const read = await world.sut.http().get(`/v1/outbound-notes/${note.id}`).set(asOperator());
    expect(read.body.shipment).toMatchObject({ id: shipmentId, deliveredAt });
  });

  it('records a delivery without a time as now', async () => {
    const { note } = await aShippedNote(world);
    const before = Date.now();

    const res = await delivered(note.shipment.id);

    expect(res.status).toBe(200);
    expect(Date.parse(res.body.deliveredAt)).toBeGreaterThanOrEqual(before - 1);
    expect(Date.parse(res.body.deliveredAt)).toBeLessThanOrEqual(Date.now());
    await world.probe.next(ShipmentDeliveredV1, (p) => p.shipmentId === note.shipment.id && p.deliveredAt === res.body.deliveredAt);
  });

  it('publishes one event when the carrier calls back twice at the same time', async () => {
    const { note } = await aShippedNote(world);
    const { id: shipmentId } = note.shipment;

    const results = await Promise.all([delivered(shipmentId), delivered(shipmentId)]);

    expect(results.map((res) => res.status)).toEqual([200, 200]);
    expect(results[0].body).toEqual(results[1].body);
    expect(await outboxMessagesOf(world, ShipmentDeliveredV1.routingKey, { shipmentId })).toHaveLength(1);
    await waitFor('the delivered event', () => world.probe.messages(ShipmentDeliveredV1, (p) => p.shipmentId === shipmentId).length === 1);
  });

  it('answers 404 for an unknown shipment, 400 for a malformed id or time, 422 for a delivery before shipping', async () => {
    const unknown = await delivered('0d5f9a2c-7e41-4b3a-8c6d-1e2f3a4b5c6d');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ code: 'SHIPMENT_NOT_FOUND' });

    expect((await delivered('12345')).body).toMatchObject({ status: 400, errors: [expect.objectContaining({ field: 'id' })] });

    const { note } = await aShippedNote(world);
    const { id: shipmentId } = note.shipment;
    for (const deliveredAt of [new Date(Date.now() + 5 * 60_000).toISOString(), '2026-11-23', '2026-11-23T10:00:00', 'yesterday']) {
      const res = await delivered(shipmentId, { deliveredAt });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: expect.arrayContaining([expect.objectContaining({ field: 'deliveredAt' })]) });
    }
    const early = await delivered(shipmentId, { deliveredAt: new Date(Date.parse(note.shipment.shippedAt) - 60_000).toISOString() });
    expect(early.status).toBe(422);
    expect(early.body).toMatchObject({ code: 'DELIVERED_BEFORE_SHIPPED', shippedAt: note.shipment.shippedAt });

    const read = await world.sut.http().get(`/v1/outbound-notes/${note.id}`).set(asOperator());
    expect(read.body.shipment).toMatchObject({ deliveredAt: null });
    expect(await outboxMessagesOf(world, ShipmentDeliveredV1.routingKey, { shipmentId })).toEqual([]);
  });

  it('lets warehouse and ops staff report deliveries, not platforms or anonymous callers', async () => {
    const { note } = await aShippedNote(world);
    const { id: shipmentId } = note.shipment;

    expect((await delivered(shipmentId, {}, asPlatform('tenant-delivery'))).status).toBe(403);
    expect((await world.sut.http().post(`/v1/shipments/${shipmentId}/delivered`).send({})).status).toBe(401);
    expect(await outboxMessagesOf(world, ShipmentDeliveredV1.routingKey, { shipmentId })).toEqual([]);
  });
});
