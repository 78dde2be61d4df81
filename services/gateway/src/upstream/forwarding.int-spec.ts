import { randomBytes, randomUUID } from 'node:crypto';
import { aPlatform, aStaffKey, anAcceptedOrder, anOrder, bearer, type TestPlatform } from '../../test/factories.js';
import { closedPortUrl } from '../../test/fake-upstream.js';
import { startGateway, type GatewayUnderTest } from '../../test/gateway-under-test.js';

// A rotation in progress: the gateway sends the new token (the first), never the old one.
const INTERNAL_TOKEN = randomBytes(32).toString('base64url');
const OLD_INTERNAL_TOKEN = randomBytes(32).toString('base64url');

describe('forwarding to the owning services (gateway with fake upstreams; real PostgreSQL and RabbitMQ)', () => {
  let gw: GatewayUnderTest;
  let platform: TestPlatform;

  beforeAll(async () => {
    gw = await startGateway({ INTERNAL_API_TOKEN: `${INTERNAL_TOKEN},${OLD_INTERNAL_TOKEN}`, WAREHOUSE_URL: await closedPortUrl(), UPSTREAM_TIMEOUT_MS: '1000' });
    platform = await aPlatform(gw.sut.dataSource);
  });

  afterAll(async () => {
    await gw?.close();
  });

  it('forwards a new order as it is, with caller, correlation id and internal token, and passes the answer back', async () => {
    const order = anOrder();
    const accepted = anAcceptedOrder(order.externalId as string);
    gw.orders.respondWith(() => ({ status: 202, body: accepted, headers: { location: `/v1/orders/${accepted.id}` } }));

    const res = await gw.sut.http().post('/v1/orders').set(bearer(platform.key)).set('X-Correlation-Id', 'corr-order-1').send(order);

    expect(res.status).toBe(202);
    expect(res.body).toEqual(accepted);
    expect(res.headers['location']).toBe(`/v1/orders/${accepted.id}`);
    expect(res.headers['x-correlation-id']).toBe('corr-order-1');
    const [forwarded] = gw.orders.received.filter((r) => r.method === 'POST' && r.body.includes(order.externalId as string));
    expect(forwarded.url).toBe('/v1/orders');
    expect(JSON.parse(forwarded.body)).toEqual(order);
    expect(forwarded.headers).toMatchObject({
      'content-type': 'application/json',
      'x-correlation-id': 'corr-order-1',
      'x-skald-caller': 'platform',
      'x-skald-principal': platform.keyId,
      'x-skald-tenant-id': platform.tenantId,
      'x-skald-internal-token': INTERNAL_TOKEN,
    });
    expect(forwarded.headers.authorization).toBeUndefined();
  });

  it("sends the client's trace on to the owning service: the forwarded traceparent continues it", async () => {
    const client = { traceId: randomBytes(16).toString('hex'), spanId: randomBytes(8).toString('hex') };
    const orderId = randomUUID();
    gw.orders.respondWith(() => ({ status: 200, body: { id: orderId } }));

    const res = await gw.sut.http().get(`/v1/orders/${orderId}`).set(bearer(platform.key)).set('traceparent', `00-${client.traceId}-${client.spanId}-01`);

    expect(res.status).toBe(200);
    const [forwarded] = gw.orders.requestsTo(`/v1/orders/${orderId}`);
    expect(forwarded.headers.traceparent).toMatch(new RegExp(`^00-${client.traceId}-[0-9a-f]{16}-0[01]$`));
  });

  it("passes the upstream's error status and problem+json body through unchanged", async () => {
    const orderId = randomUUID();
    const problem = { type: 'https://skald.dev/problems/not-found', title: 'Not Found', status: 404, code: 'ORDER_NOT_FOUND', detail: 'No such order' };
    gw.orders.respondWith(() => ({ status: 404, raw: JSON.stringify(problem), headers: { 'content-type': 'application/problem+json' } }));

    const res = await gw.sut.http().get(`/v1/orders/${orderId}`).set(bearer(platform.key));

    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toEqual(problem);
  });

  it('keeps the checked query string of a list, and forwards no unchecked one', async () => {
    gw.orders.respondWith(() => ({ status: 200, body: { items: [], nextCursor: null } }));
    const staff = await aStaffKey(gw.sut.dataSource, ['ops']);
    const channel = `c${randomUUID().slice(0, 8)}`;
    const orderId = randomUUID();

    const list = await gw.sut.http().get(`/v1/orders?status=on_hold&channel=${channel}&limit=20&cursor=abc`).set(bearer(staff.key));
    const one = await gw.sut.http().get(`/v1/orders/${orderId}?debug=1`).set(bearer(staff.key));

    expect(list.status).toBe(200);
    expect(list.body).toEqual({ items: [], nextCursor: null });
    expect(gw.orders.requestsTo(`/v1/orders?status=on_hold&channel=${channel}`).map((r) => r.url)).toEqual([
      `/v1/orders?status=on_hold&channel=${channel}&limit=20&cursor=abc`,
    ]);
    expect(one.status).toBe(200);
    expect(gw.orders.requestsTo(`/v1/orders/${orderId}`).map((r) => r.url)).toEqual([`/v1/orders/${orderId}`]);
    const sent = [...gw.orders.requestsTo(`/v1/orders?status=on_hold&channel=${channel}`), ...gw.orders.requestsTo(`/v1/orders/${orderId}`)];
    expect(sent.map((r) => r.headers['x-skald-internal-token'])).toEqual([INTERNAL_TOKEN, INTERNAL_TOKEN]);
  });

  it('refuses a list query it does not know or that is out of range, and forwards nothing', async () => {
    const staff = await aStaffKey(gw.sut.dataSource, ['ops']);
    const channel = `c${randomUUID().slice(0, 8)}`;

    const res = await gw.sut.http().get(`/v1/orders?channel=${channel}&limit=1000&status=lost&sort=asc`).set(bearer(staff.key));

    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(new Set(res.body.errors.map((e: { field: string }) => e.field))).toEqual(new Set(['limit', 'status', 'sort']));
    expect(gw.orders.requestsTo(`/v1/orders?channel=${channel}`)).toHaveLength(0);
  });

  it('forwards staff commands with their roles to the service that owns them', async () => {
    const sku = `TEA-${randomUUID().slice(0, 8)}`;
    gw.inventory.respondWith((request) => ({ status: 201, body: { received: JSON.parse(request.body) } }));
    const staff = await aStaffKey(gw.sut.dataSource, ['inventory']);
    const receipt = { warehouse: 'LON-1', lines: [{ sku, quantity: 5 }], reference: 'PO-1' };

    const res = await gw.sut.http().post('/v1/stock/receipts').set(bearer(staff.key)).send(receipt);

    expect(res.status).toBe(201);
    expect(res.body).toEqual({ received: receipt });
    const [forwarded] = gw.inventory.received.filter((r) => r.body.includes(sku));
    expect(forwarded.url).toBe('/v1/stock/receipts');
    expect(forwarded.headers).toMatchObject({
      'x-skald-caller': 'staff',
      'x-skald-roles': 'inventory',
      'x-skald-principal': staff.keyId,
      'x-skald-internal-token': INTERNAL_TOKEN,
    });
  });

  it('answers 502, not 401, when the service refuses the gateway itself (internal token mismatch)', async () => {
    gw.orders.respondWith(() => ({ status: 401, body: { status: 401, code: 'UNAUTHENTICATED', detail: 'Internal API: unknown caller.' } }));

    const res = await gw.sut.http().get(`/v1/orders/${randomUUID()}`).set(bearer(platform.key));

    expect(res.status).toBe(502);
    expect(res.body.code).toBe('UPSTREAM_BAD_RESPONSE');
  });

  it('answers 503 UPSTREAM_UNAVAILABLE when the owning service is down', async () => {
    const staff = await aStaffKey(gw.sut.dataSource, ['warehouse']);

    const res = await gw.sut.http().get(`/v1/outbound-notes/${randomUUID()}`).set(bearer(staff.key));

    expect(res.status).toBe(503);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.body).toMatchObject({ status: 503, code: 'UPSTREAM_UNAVAILABLE' });
  });

  it("passes an owning service's 503 (its database is down) on at once, with its Retry-After", async () => {
    const orderId = randomUUID();
    const problem = {
      type: 'https://skald.dev/problems/service-unavailable',
      title: 'Service Unavailable',
      status: 503,
      code: 'SERVICE_UNAVAILABLE',
      detail: 'The service cannot reach its database right now; nothing was changed. Try again shortly.',
    };
    gw.orders.respondWith(() => ({
      status: 503,
      raw: JSON.stringify(problem),
      headers: { 'content-type': 'application/problem+json', 'retry-after': '5' },
    }));

    const res = await gw.sut.http().get(`/v1/orders/${orderId}`).set(bearer(platform.key));

    expect(res.status).toBe(503);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.body).toEqual(problem);
    // Answered once: a GET is retried only on a stale kept-alive connection, never on a 503.
    expect(gw.orders.received.filter((r) => r.url.includes(orderId))).toHaveLength(1);
  });

  it('answers 503 UPSTREAM_UNAVAILABLE problem+json when something in front of the owning service answers a bare 503', async () => {
    gw.orders.respondWith(() => ({ status: 503, raw: '<html>no healthy upstream</html>', headers: { 'content-type': 'text/html' } }));

    const res = await gw.sut.http().get(`/v1/orders/${randomUUID()}`).set(bearer(platform.key));

    expect(res.status).toBe(503);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.body).toMatchObject({ status: 503, code: 'UPSTREAM_UNAVAILABLE' });
  });

  it('answers 504 UPSTREAM_TIMEOUT when the owning service does not answer in time', async () => {
    const orderId = randomUUID();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    gw.orders.respondWith(async () => {
      await held;
      return { status: 200, body: {} };
    });
    try {
      const res = await gw.sut.http().get(`/v1/orders/${orderId}`).set(bearer(platform.key));
      expect(res.status).toBe(504);
      expect(res.body.code).toBe('UPSTREAM_TIMEOUT');
    } finally {
      release();
    }
  });

  it('asks again once when a GET meets a dropped connection (a kept-alive one the service closed), but never resends a command', async () => {
    const orderId = randomUUID();
    let calls = 0;
    gw.orders.respondWith(() => (++calls === 1 ? { status: 0, reset: true } : { status: 200, body: { id: orderId } }));

    const read = await gw.sut.http().get(`/v1/orders/${orderId}`).set(bearer(platform.key));

    expect(read.status).toBe(200);
    expect(read.body).toEqual({ id: orderId });
    expect(gw.orders.requestsTo(`/v1/orders/${orderId}`)).toHaveLength(2);

    // A command may have been acted on before the connection dropped: passed on as unavailable, sent once.
    const order = anOrder();
    gw.orders.respondWith(() => ({ status: 0, reset: true }));
    const placed = await gw.sut.http().post('/v1/orders').set(bearer(platform.key)).send(order);

    expect(placed.status).toBe(503);
    expect(placed.body.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(gw.orders.received.filter((r) => r.method === 'POST' && r.body.includes(order.externalId as string))).toHaveLength(1);
  });

  it('closes a kept-alive connection it has not used for 4 s, before the service would (a command sent as the service closes it would meet a reset)', async () => {
    const orderId = randomUUID();
    gw.orders.respondWith(() => ({ status: 200, body: { id: orderId } }));
    gw.orders.keepIdleConnectionsFor(60_000);
    try {
      expect((await gw.sut.http().get(`/v1/orders/${orderId}`).set(bearer(platform.key))).status).toBe(200);
      expect(gw.orders.openConnections).toBeGreaterThan(0);
      const started = Date.now();

      await gw.orders.untilNoConnections(); // the service keeps them a minute: the gateway closed them

      expect(Date.now() - started).toBeGreaterThanOrEqual(3_000);
      expect((await gw.sut.http().get(`/v1/orders/${orderId}`).set(bearer(platform.key))).status).toBe(200);
    } finally {
      gw.orders.keepIdleConnectionsFor(5_000);
    }
  });

  it('answers 502 UPSTREAM_BAD_RESPONSE when the owning service answers more than 16 MB', async () => {
    const orderId = randomUUID();
    gw.orders.respondWith(() => ({ status: 200, raw: JSON.stringify({ id: orderId, padding: 'x'.repeat(16 * 1024 * 1024) }), headers: { 'content-type': 'application/json' } }));

    const res = await gw.sut.http().get(`/v1/orders/${orderId}`).set(bearer(platform.key));

    expect(res.status).toBe(502);
    expect(res.body).toMatchObject({ code: 'UPSTREAM_BAD_RESPONSE', detail: 'The orders service answered too much.' });
    // The same connections still serve the next request.
    gw.orders.respondWith(() => ({ status: 200, body: { id: orderId } }));
    expect((await gw.sut.http().get(`/v1/orders/${orderId}`).set(bearer(platform.key))).status).toBe(200);
  });

  it('answers 502 UPSTREAM_BAD_RESPONSE when the owning service answers something that is not JSON', async () => {
    gw.orders.respondWith(() => ({ status: 200, raw: '<html>oops</html>', headers: { 'content-type': 'text/html' } }));

    const res = await gw.sut.http().get(`/v1/orders/${randomUUID()}`).set(bearer(platform.key));

    expect(res.status).toBe(502);
    expect(res.body.code).toBe('UPSTREAM_BAD_RESPONSE');
  });
});
