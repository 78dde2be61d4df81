import { randomUUID } from 'node:crypto';
import { waitFor } from '@skald/testing';
import { aPlatform, aStaffKey, anAcceptedOrder, anOrder, bearer, type TestPlatform } from '../../test/factories.js';
import { startGateway, type GatewayUnderTest } from '../../test/gateway-under-test.js';

const SERVICE_KEY_HEADER = 'x-skald-idempotency-key';

describe('Idempotency-Key end to end: the service key, and requests whose outcome is unknown (gateway with fake upstreams)', () => {
  let gw: GatewayUnderTest;
  let platform: TestPlatform;

  beforeAll(async () => {
    gw = await startGateway({ UPSTREAM_TIMEOUT_MS: '1000' });
    platform = await aPlatform(gw.sut.dataSource);
  });

  afterAll(async () => {
    await gw?.close();
  });

  const placed = (externalId: unknown) => gw.orders.received.filter((r) => r.method === 'POST' && r.body.includes(String(externalId)));
  const placeOrder = (idempotencyKey: string, order: Record<string, unknown>) =>
    gw.sut.http().post('/v1/orders').set(bearer(platform.key)).set('Idempotency-Key', idempotencyKey).send(order);
  const accept = (request: { body: string }) => ({ status: 202, body: anAcceptedOrder(JSON.parse(request.body).externalId) });

  it("forwards the caller's key scoped by platform or staff key, and none without an Idempotency-Key", async () => {
    gw.orders.respondWith(accept);
    const staff = await aStaffKey(gw.sut.dataSource, ['reviewer']);
    const [order, unkeyed, orderId, key] = [anOrder(), anOrder(), randomUUID(), randomUUID()];

    await placeOrder(key, order);
    await gw.sut.http().post('/v1/orders').set(bearer(platform.key)).send(unkeyed);
    gw.orders.respondWith(() => ({ status: 200, body: { id: orderId, status: 'approved' } }));
    await gw.sut.http().post(`/v1/orders/${orderId}/review`).set(bearer(staff.key)).set('Idempotency-Key', key).send({ decision: 'approve', reason: 'ok' });

    expect(placed(order.externalId).map((r) => r.headers[SERVICE_KEY_HEADER])).toEqual([`platform:${platform.tenantId}:${key}`]);
    expect(placed(unkeyed.externalId).map((r) => r.headers[SERVICE_KEY_HEADER])).toEqual([undefined]);
    expect(gw.orders.requestsTo(`/v1/orders/${orderId}/review`).map((r) => r.headers[SERVICE_KEY_HEADER])).toEqual([`staff:${staff.keyId}:${key}`]);
  });

  it('keeps the key of a request that timed out, bound to it: the retry is forwarded again with the same service key and its answer is stored', async () => {
    const order = anOrder();
    const key = randomUUID();
    let release!: () => void;
    const late = new Promise<void>((resolve) => (release = resolve));
    gw.orders.respondWith(async (request) => {
      await late;
      return accept(request);
    });

    const timedOut = await placeOrder(key, order);
    release();
    const otherRequest = await placeOrder(key, { ...order, channel: 'phone' });
    gw.orders.respondWith(accept);
    const retried = await placeOrder(key, order);
    const again = await placeOrder(key, order);

    expect(timedOut.status).toBe(504);
    expect(timedOut.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(timedOut.body).toMatchObject({ status: 504, code: 'UPSTREAM_TIMEOUT' });
    expect(timedOut.headers['retry-after']).toBe('1');
    expect(otherRequest.status).toBe(422);
    expect(otherRequest.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(retried.status).toBe(202);
    expect(retried.headers['idempotent-replayed']).toBeUndefined();
    expect(again.status).toBe(202);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.text).toBe(retried.text);
    const forwarded = placed(order.externalId);
    expect(forwarded).toHaveLength(2);
    expect(new Set(forwarded.map((r) => r.headers[SERVICE_KEY_HEADER]))).toEqual(new Set([`platform:${platform.tenantId}:${key}`]));
  });

  it('keeps the key of a request whose connection was reset (503 with Retry-After), and of one the service failed with a 5xx', async () => {
    const [reset, failed] = [anOrder(), anOrder()];
    const [resetKey, failedKey] = [randomUUID(), randomUUID()];
    gw.orders.respondWith(() => ({ status: 0, reset: true }));
    const dropped = await placeOrder(resetKey, reset);
    gw.orders.respondWith(() => ({ status: 500, body: { status: 500, code: 'INTERNAL_ERROR' } }));
    const broken = await placeOrder(failedKey, failed);

    const reusedAfterReset = await placeOrder(resetKey, anOrder());
    const reusedAfterFailure = await placeOrder(failedKey, anOrder());
    gw.orders.respondWith(accept);
    const [resetRetried, failedRetried] = [await placeOrder(resetKey, reset), await placeOrder(failedKey, failed)];

    expect(dropped.status).toBe(503);
    expect(dropped.body).toMatchObject({ status: 503, code: 'UPSTREAM_UNAVAILABLE' });
    expect(dropped.headers['retry-after']).toBe('1');
    expect(broken.status).toBe(500);
    expect(broken.headers['retry-after']).toBe('1');
    expect([reusedAfterReset.status, reusedAfterFailure.status]).toEqual([422, 422]);
    expect([resetRetried.status, failedRetried.status]).toEqual([202, 202]);
    expect(placed(reset.externalId)).toHaveLength(2);
    expect(placed(failed.externalId)).toHaveLength(2);
  });

  it('answers 409 IDEMPOTENCY_KEY_IN_USE while the retry of a timed-out request is in flight', async () => {
    const order = anOrder();
    const key = randomUUID();
    let releaseFirst!: () => void;
    const firstHeld = new Promise<void>((resolve) => (releaseFirst = resolve));
    gw.orders.respondWith(async (request) => {
      await firstHeld;
      return accept(request);
    });
    expect((await placeOrder(key, order)).status).toBe(504);
    releaseFirst();

    let releaseRetry!: () => void;
    const retryHeld = new Promise<void>((resolve) => (releaseRetry = resolve));
    gw.orders.respondWith(async (request) => {
      await retryHeld;
      return accept(request);
    });
    const retry = placeOrder(key, order).then((res) => res);
    await waitFor('the retry to reach the service', () => placed(order.externalId).length === 2);
    const during = await placeOrder(key, order);
    releaseRetry();

    expect(during.status).toBe(409);
    expect(during.body.code).toBe('IDEMPOTENCY_KEY_IN_USE');
    expect((await retry).status).toBe(202);
    expect(placed(order.externalId)).toHaveLength(2);
  });
});
