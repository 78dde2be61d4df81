import { OrderPlacedV1, ReserveStockV1, ReviewOrderV1 } from '@skald/contracts';
import { anIdempotencyKey, asPlatform, asStaff } from '@skald/testing';
import { aCatalogItem, anOrder, aPlatform } from '../../test/factories.js';
import { OrdersWorld } from '../../test/orders-world.js';

describe('idempotent state-changing routes of orders (real PostgreSQL and RabbitMQ)', () => {
  const world = new OrdersWorld();

  beforeAll(() => world.start([OrderPlacedV1, ReviewOrderV1, ReserveStockV1]));
  afterAll(() => world.stop());

  const outboxCount = async (routingKey: string, orderId: string): Promise<number> =>
    Number(
      (
        await world.sut.dataSource.query(`SELECT count(*) FROM outbox_message WHERE routing_key = $1 AND envelope->'payload'->>'orderId' = $2`, [
          routingKey,
          orderId,
        ])
      )[0].count,
    );
  const statuses = async (tenantId: string, id: string): Promise<string[]> =>
    (await world.order(tenantId, id)).statusHistory.map((entry: { status: string }) => entry.status);

  /** A platform whose orders above 100 are held for a reviewer, and an order of 120 waiting for one. */
  async function aHeldOrder(): Promise<{ tenantId: string; id: string; sku: string }> {
    const { tenantId } = await world.platform(aPlatform({ reviewAmountThreshold: '100' }));
    const item = aCatalogItem({ listPrice: '60' });
    await world.catalog(item);
    const id = await world.place(tenantId, anOrder([{ sku: item.sku, quantity: 2, unitPrice: 60 }]));
    await world.status(tenantId, id, 'on_hold');
    return { tenantId, id, sku: item.sku };
  }

  it('places an order repeated with the same key once and answers the repeat with the first 202 (not ORDER_EXTERNAL_ID_EXISTS)', async () => {
    const { tenantId } = await world.platform(aPlatform());
    const item = aCatalogItem();
    await world.catalog(item);
    const body = anOrder([{ sku: item.sku, quantity: 1, unitPrice: 10 }]);
    const key = anIdempotencyKey(`platform:${tenantId}:order-1`);
    const place = () => world.sut.http().post('/v1/orders').set(asPlatform(tenantId)).set(key).send(body);

    const [first, again] = [await place(), await place()];

    expect(first.status).toBe(202);
    expect(again.status).toBe(202);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(await outboxCount(OrderPlacedV1.routingKey, first.body.id)).toBe(1);
  });

  it('still refuses another order with a taken externalId under a new key (409 ORDER_EXTERNAL_ID_EXISTS), storing nothing', async () => {
    const { tenantId } = await world.platform(aPlatform());
    const item = aCatalogItem();
    await world.catalog(item);
    const body = anOrder([{ sku: item.sku, quantity: 1, unitPrice: 10 }]);
    const first = await world.place(tenantId, body);

    const key = `platform:${tenantId}:order-2`;
    const again = await world.sut.http().post('/v1/orders').set(asPlatform(tenantId)).set(anIdempotencyKey(key)).send(body);

    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'ORDER_EXTERNAL_ID_EXISTS', orderId: first });
    expect(await world.sut.dataSource.query(`SELECT key FROM idempotent_request WHERE key = $1`, [key])).toEqual([]);
  });

  it("answers a repeated reviewer's decision with its first outcome and decides once", async () => {
    const { tenantId, id } = await aHeldOrder();
    const key = anIdempotencyKey();
    const decide = () => world.sut.http().post(`/v1/orders/${id}/review`).set(asStaff(['reviewer'])).set(key).send({ decision: 'approve', reason: 'known customer' });

    const [first, again] = [await decide(), await decide()];

    expect(first.status).toBe(200);
    expect(first.body).toEqual({ id, status: 'approved' });
    expect(again.status).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(await statuses(tenantId, id)).toEqual(['received', 'on_hold', 'approved']);
    expect(await outboxCount(ReserveStockV1.routingKey, id)).toBe(1);
  });

  it('answers a repeated cancellation with its first outcome and cancels once', async () => {
    const { tenantId, id } = await aHeldOrder();
    const key = anIdempotencyKey(`platform:${tenantId}:cancel-1`);
    const cancel = () => world.sut.http().post(`/v1/orders/${id}/cancel`).set(asPlatform(tenantId)).set(key).send({ reason: 'customer changed their mind' });

    const [first, again] = [await cancel(), await cancel()];

    expect(first.status).toBe(202);
    expect(again.status).toBe(202);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect((await statuses(tenantId, id)).filter((status) => status === 'cancelled')).toHaveLength(1);
  });

  it('answers a repeated modification with its first outcome and sends the order back to review once', async () => {
    const { tenantId, id, sku } = await aHeldOrder();
    const key = anIdempotencyKey(`platform:${tenantId}:modify-1`);
    const modify = () => world.sut.http().patch(`/v1/orders/${id}`).set(asPlatform(tenantId)).set(key).send({ lines: [{ sku, quantity: 3, unitPrice: 60 }] });

    const [first, again] = [await modify(), await modify()];

    expect(first.status).toBe(202);
    expect(again.status).toBe(202);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    await world.status(tenantId, id, 'on_hold');
    expect(await statuses(tenantId, id)).toEqual(['received', 'on_hold', 'received', 'on_hold']);
    expect(await outboxCount(ReviewOrderV1.routingKey, id)).toBe(2);
  });

  it('answers a repeated credit limit with its first outcome, and refuses its key for another limit', async () => {
    const { tenantId } = await world.platform(aPlatform());
    const customerId = `C-${Date.now()}`;
    const key = anIdempotencyKey();
    const setLimit = (creditLimit: number) =>
      world.sut.http().put(`/v1/platforms/${tenantId}/customers/${customerId}`).set(asStaff(['reviewer'])).set(key).send({ creditLimit, currency: 'EUR' });

    const [first, again, other] = [await setLimit(500), await setLimit(500), await setLimit(900)];

    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(other.status).toBe(422);
    expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await world.sut.dataSource.query(`SELECT credit_limit FROM customer WHERE tenant_id = $1 AND customer_id = $2`, [tenantId, customerId])).toEqual([
      { credit_limit: '500.0000' },
    ]);
  });
});
