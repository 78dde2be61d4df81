import { randomUUID } from 'node:crypto';
import { waitFor } from '@skald/testing';
import { aPlatform, aStaffKey, anAcceptedOrder, anOrder, bearer, type TestPlatform } from '../../test/factories.js';
import { startGateway, type GatewayUnderTest } from '../../test/gateway-under-test.js';
import { IdempotencyCleanup } from './idempotency-cleanup.js';

describe('Idempotency-Key (gateway with fake upstreams; real PostgreSQL and RabbitMQ)', () => {
  let gw: GatewayUnderTest;
  let platform: TestPlatform;

  beforeAll(async () => {
    gw = await startGateway();
    platform = await aPlatform(gw.sut.dataSource);
  });

  afterAll(async () => {
    await gw?.close();
  });

  /** The fake orders service accepts every order; each test finds its own by externalId. */
  function acceptOrders(): void {
    gw.orders.respondWith((request) => ({ status: 202, body: anAcceptedOrder(JSON.parse(request.body).externalId) }));
  }
  const placed = (externalId: unknown) => gw.orders.received.filter((r) => r.method === 'POST' && r.body.includes(String(externalId)));
  const placeOrder = (key: string, idempotencyKey: string, order: Record<string, unknown>) =>
    gw.sut.http().post('/v1/orders').set(bearer(key)).set('Idempotency-Key', idempotencyKey).send(order);

  it('replays the stored response to the same request with the same key, without calling the service again', async () => {
    acceptOrders();
    const order = anOrder();
    const key = randomUUID();

    const first = await placeOrder(platform.key, key, order);
    const again = await placeOrder(platform.key, key, order);

    expect(first.status).toBe(202);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    expect(again.status).toBe(202);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.headers['content-type']).toBe(first.headers['content-type']);
    expect(again.text).toBe(first.text);
    expect(placed(order.externalId)).toHaveLength(1);
  });

  it('treats the same JSON with its keys in another order as the same request', async () => {
    acceptOrders();
    const order = anOrder();
    const reordered = Object.fromEntries(Object.entries(order).reverse());
    const key = randomUUID();

    await placeOrder(platform.key, key, order);
    const again = await placeOrder(platform.key, key, reordered);

    expect(again.status).toBe(202);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(placed(order.externalId)).toHaveLength(1);
  });

  it('refuses the same key for another body or another path with 422 IDEMPOTENCY_KEY_REUSED', async () => {
    acceptOrders();
    const order = anOrder();
    const key = randomUUID();
    await placeOrder(platform.key, key, order);

    const otherBody = await placeOrder(platform.key, key, { ...order, channel: 'phone' });
    const otherPath = await gw.sut.http().post('/v1/webhooks').set(bearer(platform.key)).set('Idempotency-Key', key).send({ url: 'https://a.example.org/h', events: ['*'] });

    expect(otherBody.status).toBe(422);
    expect(otherBody.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(otherBody.body).toMatchObject({ status: 422, code: 'IDEMPOTENCY_KEY_REUSED' });
    expect(otherBody.headers['retry-after']).toBeUndefined();
    expect(otherPath.status).toBe(422);
    expect(otherPath.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(placed(order.externalId)).toHaveLength(1);
  });

  it('keeps keys per tenant: two platforms may use the same key independently', async () => {
    acceptOrders();
    const other = await aPlatform(gw.sut.dataSource);
    const order = anOrder();
    const key = randomUUID();

    const mine = await placeOrder(platform.key, key, order);
    const theirs = await placeOrder(other.key, key, order);

    expect(mine.status).toBe(202);
    expect(theirs.status).toBe(202);
    expect(theirs.headers['idempotent-replayed']).toBeUndefined();
    expect(placed(order.externalId).map((r) => r.headers['x-skald-tenant-id'])).toEqual([platform.tenantId, other.tenantId]);
  });

  it('keeps keys per staff key', async () => {
    gw.orders.respondWith(() => ({ status: 200, body: { decided: true } }));
    const [alice, bob] = [await aStaffKey(gw.sut.dataSource, ['reviewer']), await aStaffKey(gw.sut.dataSource, ['reviewer'])];
    const orderId = randomUUID();
    const key = randomUUID();
    const decide = (staffKey: string) =>
      gw.sut.http().post(`/v1/orders/${orderId}/review`).set(bearer(staffKey)).set('Idempotency-Key', key).send({ decision: 'approve', reason: 'known customer' });

    expect((await decide(alice.key)).status).toBe(200);
    expect((await decide(bob.key)).status).toBe(200);
    expect((await decide(alice.key)).headers['idempotent-replayed']).toBe('true');
    expect(gw.orders.requestsTo(`/v1/orders/${orderId}/review`).map((r) => r.headers['x-skald-principal'])).toEqual([alice.keyId, bob.keyId]);
  });

  it('answers 409 IDEMPOTENCY_KEY_IN_USE while the first request is still running, then replays its response', async () => {
    const order = anOrder();
    const key = randomUUID();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    gw.orders.respondWith(async (request) => {
      await held;
      return { status: 202, body: anAcceptedOrder(JSON.parse(request.body).externalId) };
    });

    const first = placeOrder(platform.key, key, order).then((res) => res);
    await waitFor('the first request to reach the service', () => placed(order.externalId).length === 1);
    const during = await placeOrder(platform.key, key, order);
    release();
    const firstDone = await first;
    const after = await placeOrder(platform.key, key, order);

    expect(during.status).toBe(409);
    expect(during.body).toMatchObject({ status: 409, code: 'IDEMPOTENCY_KEY_IN_USE' });
    expect(during.headers['retry-after']).toBe('1');
    expect(firstDone.status).toBe(202);
    expect(after.status).toBe(202);
    expect(after.headers['idempotent-replayed']).toBe('true');
    expect(after.text).toBe(firstDone.text);
    expect(placed(order.externalId)).toHaveLength(1);
  });

  it('never calls the service twice for a burst of the same request with the same key', async () => {
    acceptOrders();
    const order = anOrder();
    const key = randomUUID();

    const answers = await Promise.all(Array.from({ length: 6 }, () => placeOrder(platform.key, key, order)));

    expect(placed(order.externalId)).toHaveLength(1);
    const outcomes = answers.map((res) =>
      res.status === 409 && res.body.code === 'IDEMPOTENCY_KEY_IN_USE'
        ? 'in use'
        : res.status === 202
          ? res.headers['idempotent-replayed'] === 'true'
            ? 'replayed'
            : 'fresh'
          : `unexpected ${res.status}`,
    );
    expect(outcomes.filter((outcome) => outcome === 'fresh')).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome !== 'fresh' && outcome !== 'replayed' && outcome !== 'in use')).toEqual([]);
  });

  it("stores the service's 4xx answers, but not its 5xx: the client may retry those with the same key", async () => {
    const refused = anOrder();
    const refusedKey = randomUUID();
    gw.orders.respondWith(() => ({ status: 422, body: { code: 'DUPLICATE_EXTERNAL_ID' } }));
    expect((await placeOrder(platform.key, refusedKey, refused)).status).toBe(422);
    const refusedAgain = await placeOrder(platform.key, refusedKey, refused);
    expect(refusedAgain.status).toBe(422);
    expect(refusedAgain.headers['idempotent-replayed']).toBe('true');
    expect(placed(refused.externalId)).toHaveLength(1);

    const order = anOrder();
    const key = randomUUID();
    gw.orders.respondWith(() => ({ status: 500, body: { code: 'INTERNAL_ERROR' } }));
    const failed = await placeOrder(platform.key, key, order);
    acceptOrders();
    const retried = await placeOrder(platform.key, key, order);

    expect(failed.status).toBe(500);
    expect(retried.status).toBe(202);
    expect(retried.headers['idempotent-replayed']).toBeUndefined();
    expect(placed(order.externalId)).toHaveLength(2);
  });

  it('does not keep the key of a request the gateway refused (bad body)', async () => {
    acceptOrders();
    const order = anOrder();
    const key = randomUUID();

    const invalid = await placeOrder(platform.key, key, { ...order, lines: [] });
    const valid = await placeOrder(platform.key, key, order);

    expect(invalid.status).toBe(400);
    expect(valid.status).toBe(202);
    expect(valid.headers['idempotent-replayed']).toBeUndefined();
  });

  it('refuses a malformed Idempotency-Key with 400, and ignores the header on reads', async () => {
    acceptOrders();
    const order = anOrder();

    const tooLong = await placeOrder(platform.key, 'k'.repeat(256), order);
    gw.orders.respondWith(() => ({ status: 200, body: { read: true } }));
    const orderId = randomUUID();
    const read = () => gw.sut.http().get(`/v1/orders/${orderId}`).set(bearer(platform.key)).set('Idempotency-Key', 'read-1');
    const [one, two] = [await read(), await read()];

    expect(tooLong.status).toBe(400);
    expect(tooLong.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'Idempotency-Key' }] });
    expect(placed(order.externalId)).toHaveLength(0);
    expect([one.status, two.status]).toEqual([200, 200]);
    expect(two.headers['idempotent-replayed']).toBeUndefined();
    expect(gw.orders.requestsTo(`/v1/orders/${orderId}`)).toHaveLength(2);
  });

  it('lets the same request take over a key whose first request was abandoned (its process died)', async () => {
    acceptOrders();
    const order = anOrder();
    const key = randomUUID();
    await placeOrder(platform.key, key, order);
    // What a gateway that died mid-request leaves behind: in progress, long ago.
    await gw.sut.dataSource.query(
      `UPDATE idempotency_record SET status = 'in_progress', response_status = NULL, response_body = NULL, locked_at = now() - interval '10 minutes'
        WHERE key = $1`,
      [key],
    );

    const otherRequest = await placeOrder(platform.key, key, { ...order, channel: 'phone' });
    const sameRequest = await placeOrder(platform.key, key, order);

    expect(otherRequest.status).toBe(422);
    expect(sameRequest.status).toBe(202);
    expect(sameRequest.headers['idempotent-replayed']).toBeUndefined();
    expect(placed(order.externalId)).toHaveLength(2);
  });

  it('forgets keys after 24 hours, and the cleanup job deletes expired records', async () => {
    acceptOrders();
    const order = anOrder();
    const key = randomUUID();
    await placeOrder(platform.key, key, order);
    await gw.sut.dataSource.query(`UPDATE idempotency_record SET expires_at = now() - interval '1 second' WHERE key = $1`, [key]);

    const reused = await placeOrder(platform.key, key, { ...order, channel: 'email' });
    expect(reused.status).toBe(202);
    expect(reused.headers['idempotent-replayed']).toBeUndefined();
    expect(placed(order.externalId)).toHaveLength(2);

    const other = randomUUID();
    await placeOrder(platform.key, other, anOrder());
    await gw.sut.dataSource.query(`UPDATE idempotency_record SET expires_at = now() - interval '1 second' WHERE key = $1`, [other]);
    expect(await gw.sut.app.get(IdempotencyCleanup).runOnce()).toBeGreaterThanOrEqual(1);
    const left = await gw.sut.dataSource.query(`SELECT key FROM idempotency_record WHERE key = ANY($1)`, [[key, other]]);
    expect(left).toEqual([{ key }]);
  });
});
