import { ReserveStockV1, StockReservedV1, type SagaPage, type ServiceTimeline } from '@skald/contracts';
import { callerHeaders } from '@skald/service-kit';
import { waitFor } from '@skald/testing';
import { randomUUID } from 'node:crypto';
import { aCatalogItem, anOrder, aPlatform } from '../../test/factories.js';
import { OrdersWorld } from '../../test/orders-world.js';

const ops = callerHeaders({ kind: 'staff', principalId: 'key-ops', tenantId: null, roles: ['ops'] });

describe("the orders service's part of a saga timeline and its on-call list (real PostgreSQL and RabbitMQ)", () => {
  const world = new OrdersWorld();

  beforeAll(() => world.start([ReserveStockV1]));
  afterAll(() => world.stop());

  it('serves the order saga’s step log, its messages and what it waits for on GET /internal/timeline/{orderId}', async () => {
    const { tenantId } = await world.platform(aPlatform());
    const mug = aCatalogItem({ listPrice: '10' });
    await world.catalog(mug);
    const id = await world.place(tenantId, anOrder([{ sku: mug.sku, quantity: 1, unitPrice: 10 }]));
    const reserve = await world.probe.next(ReserveStockV1, (p) => p.orderId === id);
    world.probe.publish(StockReservedV1, { orderId: id, reservations: [{ reservationId: randomUUID(), warehouse: 'WH-A', sku: mug.sku, quantity: 1 }] }, {
      tenantId,
      correlationId: id,
      causationId: reserve.id,
    });
    await world.status(tenantId, id, 'reserved');

    const timeline: ServiceTimeline = await waitFor('the reservation handled in the timeline', async () => {
      const res = await world.sut.http().get(`/internal/timeline/${id}`).set(ops);
      return res.status === 200 && (res.body as ServiceTimeline).entries.some((entry) => entry.routingKey === StockReservedV1.routingKey && entry.kind === 'message.handled')
        ? (res.body as ServiceTimeline)
        : undefined;
    });

    const kinds = timeline.entries.map((entry) => entry.kind);
    expect(kinds).toEqual(expect.arrayContaining(['saga.state', 'saga.command', 'saga.received', 'message.handled', 'message.published']));
    // Time-ordered.
    expect(timeline.entries.map((entry) => entry.at)).toEqual([...timeline.entries.map((entry) => entry.at)].sort());
    expect(timeline.entries.find((entry) => entry.kind === 'message.handled' && entry.routingKey === StockReservedV1.routingKey)).toMatchObject({
      service: 'orders',
      handler: expect.stringMatching(/^\w+\.\w+$/),
      attempts: 1,
    });
    expect(timeline.entries.filter((entry) => entry.kind === 'saga.command').map((entry) => [entry.routingKey, entry.messageId])).toContainEqual([ReserveStockV1.routingKey, reserve.id]);
    expect(timeline.sagas).toEqual([
      expect.objectContaining({ id, type: 'order', state: 'releasing', finished: false, waitingFor: ["the warehouses' outbound notes (create-outbound-notes)"], deadline: expect.any(String) }),
    ]);
  });

  it('lists stuck and compensating sagas on GET /internal/sagas, validating the query', async () => {
    const [stuck, bad, reviewer] = await Promise.all([
      world.sut.http().get('/internal/sagas?state=stuck&limit=5').set(ops),
      world.sut.http().get('/internal/sagas?state=failed&since=yesterday&limit=500').set(ops),
      world.sut.http().get('/internal/sagas?state=stuck').set(callerHeaders({ kind: 'staff', principalId: 'key-r', tenantId: null, roles: ['reviewer'] })),
    ]);
    expect(stuck.status).toBe(200);
    expect((stuck.body as SagaPage).sagas).toEqual(expect.any(Array));
    expect([bad.status, reviewer.status]).toEqual([400, 403]);
    expect(bad.body.errors.map((error: { field: string }) => error.field).sort()).toEqual(['limit', 'since', 'state']);
  });
});
