import { randomUUID } from 'node:crypto';
import type { DeadLetterView } from '@skald/contracts';
import { aPlatform, aStaffKey, bearer } from '../../test/factories.js';
import type { FakeUpstream, ReceivedRequest } from '../../test/fake-upstream.js';
import { startGateway, type GatewayUnderTest } from '../../test/gateway-under-test.js';

const SERVICES = ['orders', 'inventory', 'warehouse', 'returns', 'notifications'] as const;
type Service = (typeof SERVICES)[number];

const aDeadLetter = (service: Service, overrides: Partial<DeadLetterView> = {}): DeadLetterView => ({
  service,
  messageId: randomUUID(),
  routingKey: 'inventory.reserve-stock.v1',
  correlationId: randomUUID(),
  reason: 'RETRIES_EXHAUSTED',
  error: 'INTERNAL: boom',
  attempts: 5,
  deadLetteredAt: '2026-12-07T00:00:00.000Z',
  status: 'dead',
  inQueue: true,
  recorded: true,
  actions: [],
  ...overrides,
});

const problem = (status: number, code: string) => ({
  status,
  raw: JSON.stringify({ type: 'about:blank', title: 'x', status, code, detail: code }),
  headers: { 'content-type': 'application/problem+json' },
});

describe('dead letters through the gateway: gathered from every service, acted on where they are, authorised and validated (fake upstreams)', () => {
  let gw: GatewayUnderTest;
  let ops: { key: string; keyId: string };
  let admin: string;
  const upstream = (service: Service): FakeUpstream => gw[service];
  const sent = (service: Service, path: string): ReceivedRequest[] => upstream(service).received.filter((r) => r.url.split('?')[0] === path);
  const allSent = () => SERVICES.flatMap((service) => upstream(service).received);
  const reset = () => SERVICES.forEach((service) => upstream(service).received.splice(0));

  beforeAll(async () => {
    gw = await startGateway();
    ops = await aStaffKey(gw.sut.dataSource, ['ops']);
    admin = (await aStaffKey(gw.sut.dataSource, ['admin'])).key;
  });

  afterAll(async () => {
    await gw?.close();
  });

  beforeEach(() => {
    reset();
    for (const service of SERVICES) upstream(service).respondWith(() => problem(404, 'DEAD_LETTER_NOT_FOUND'));
  });

  it('lists every service’s dead letters newest first, with each depth; a service that does not answer is a gap', async () => {
    const older = aDeadLetter('orders', { deadLetteredAt: '2026-12-06T10:00:00.000Z' });
    const newer = aDeadLetter('inventory', { deadLetteredAt: '2026-12-06T11:00:00.000Z' });
    gw.orders.respondWith(() => ({ status: 200, body: { service: 'orders', depth: 1, deadLetters: [older] } }));
    gw.inventory.respondWith(() => ({ status: 200, body: { service: 'inventory', depth: 3, deadLetters: [newer] } }));
    for (const service of ['warehouse', 'returns'] as const) upstream(service).respondWith(() => ({ status: 200, body: { service, depth: 0, deadLetters: [] } }));
    gw.notifications.respondWith(() => ({ status: 0, reset: true }));

    const res = await gw.sut.http().get('/v1/dead-letters?limit=10').set(bearer(ops.key)).set('X-Correlation-Id', 'corr-dlq-list');

    expect(res.status).toBe(200);
    expect(res.body.deadLetters).toEqual([newer, older]);
    expect(res.body.services).toEqual([
      { service: 'orders', available: true, depth: 1 },
      { service: 'inventory', available: true, depth: 3 },
      { service: 'warehouse', available: true, depth: 0 },
      { service: 'returns', available: true, depth: 0 },
      { service: 'notifications', available: false, error: 'UPSTREAM_UNAVAILABLE' },
    ]);
    const [toOrders] = sent('orders', '/internal/dead-letters');
    expect(toOrders.url).toBe('/internal/dead-letters?limit=10');
    expect(toOrders.headers).toMatchObject({ 'x-skald-caller': 'staff', 'x-skald-principal': ops.keyId, 'x-skald-roles': 'ops', 'x-correlation-id': 'corr-dlq-list' });
    expect(toOrders.headers['x-skald-internal-token']).toEqual(expect.any(String));
  });

  it('lists one service, or one saga: an order id as it is, an RMA number through the returns service', async () => {
    for (const service of SERVICES) upstream(service).respondWith((r) => (r.url.startsWith('/internal/rma/RMA-2026-000042') ? { status: 200, body: { returnId: 'b1e5f3a2-0000-4000-8000-000000000042', rmaNumber: 'RMA-2026-000042', orderId: randomUUID() } } : r.url.startsWith('/internal/rma/') ? problem(404, 'RETURN_NOT_FOUND') : { status: 200, body: { service, depth: 0, deadLetters: [] } }));
    const orderId = randomUUID();

    const one = await gw.sut.http().get('/v1/dead-letters?service=warehouse').set(bearer(ops.key));
    expect(one.status).toBe(200);
    expect(one.body.services).toEqual([{ service: 'warehouse', available: true, depth: 0 }]);
    expect(allSent().map((r) => r.url)).toEqual(['/internal/dead-letters?limit=50']);

    reset();
    const bySaga = await gw.sut.http().get(`/v1/dead-letters?saga=${orderId}`).set(bearer(admin));
    expect(bySaga.body.correlationId).toBe(orderId);
    expect(new Set(allSent().map((r) => r.url))).toEqual(new Set([`/internal/dead-letters?limit=50&correlationId=${orderId}`]));

    reset();
    const byRma = await gw.sut.http().get('/v1/dead-letters?saga=rma-2026-000042').set(bearer(ops.key));
    expect(byRma.status).toBe(200);
    expect(byRma.body.correlationId).toBe('b1e5f3a2-0000-4000-8000-000000000042');
    expect(sent('returns', '/internal/rma/RMA-2026-000042')).toHaveLength(1);
    expect(sent('orders', '/internal/dead-letters')[0].url).toBe('/internal/dead-letters?limit=50&correlationId=b1e5f3a2-0000-4000-8000-000000000042');

    const unknown = await gw.sut.http().get('/v1/dead-letters?saga=RMA-2026-999999').set(bearer(ops.key));
    expect([unknown.status, unknown.body.code]).toEqual([404, 'SAGA_NOT_FOUND']);
  });

  it('shows a dead letter from the one service that has it; 404 when none has it; an event dead in two needs ?service=', async () => {
    const letter = { ...aDeadLetter('inventory'), headers: { 'x-skald-attempt': 5 }, body: { id: 'x' } };
    gw.inventory.respondWith((r) => (r.url === `/internal/dead-letters/${letter.messageId}` ? { status: 200, body: letter } : problem(404, 'DEAD_LETTER_NOT_FOUND')));

    const found = await gw.sut.http().get(`/v1/dead-letters/${letter.messageId}`).set(bearer(ops.key));
    expect([found.status, found.body]).toEqual([200, letter]);
    expect(SERVICES.map((service) => sent(service, `/internal/dead-letters/${letter.messageId}`).length)).toEqual([1, 1, 1, 1, 1]);

    const missing = await gw.sut.http().get(`/v1/dead-letters/${randomUUID()}`).set(bearer(ops.key));
    expect([missing.status, missing.body.code]).toEqual([404, 'DEAD_LETTER_NOT_FOUND']);
    expect(missing.headers['content-type']).toMatch(/^application\/problem\+json/);

    gw.notifications.respondWith(() => ({ status: 200, body: { ...letter, service: 'notifications' } }));
    const twice = await gw.sut.http().get(`/v1/dead-letters/${letter.messageId}`).set(bearer(ops.key));
    expect([twice.status, twice.body.code, twice.body.services]).toEqual([409, 'DEAD_LETTER_AMBIGUOUS', ['inventory', 'notifications']]);
    reset();
    const named = await gw.sut.http().get(`/v1/dead-letters/${letter.messageId}?service=notifications`).set(bearer(ops.key));
    expect([named.status, named.body.service]).toEqual([200, 'notifications']);
    expect(allSent().map((r) => r.url)).toEqual([`/internal/dead-letters/${letter.messageId}`]);
  });

  it("replays a message where it is dead, and a saga's dead letters in every service", async () => {
    const messageId = randomUUID();
    gw.warehouse.respondWith(() => ({ status: 200, body: { service: 'warehouse', replayed: [messageId] } }));

    const one = await gw.sut.http().post(`/v1/dead-letters/${messageId}/replay`).set(bearer(ops.key));
    expect([one.status, one.body]).toEqual([200, { replayed: [{ service: 'warehouse', replayed: [messageId] }], unavailable: [] }]);
    expect(sent('warehouse', `/internal/dead-letters/${messageId}/replay`)[0]).toMatchObject({ method: 'POST', headers: expect.objectContaining({ 'x-skald-principal': ops.keyId }) });

    gw.warehouse.respondWith((r) => (r.url.includes(messageId) ? problem(409, 'DEAD_LETTER_NOT_IN_QUEUE') : problem(404, 'DEAD_LETTER_NOT_FOUND')));
    const again = await gw.sut.http().post(`/v1/dead-letters/${messageId}/replay`).set(bearer(ops.key));
    expect([again.status, again.body.code]).toEqual([409, 'DEAD_LETTER_NOT_IN_QUEUE']);
    const unknown = await gw.sut.http().post(`/v1/dead-letters/${randomUUID()}/replay`).set(bearer(ops.key));
    expect([unknown.status, unknown.body.code]).toEqual([404, 'DEAD_LETTER_NOT_FOUND']);

    reset();
    const orderId = randomUUID();
    for (const service of SERVICES) upstream(service).respondWith(() => ({ status: 200, body: { service, replayed: service === 'inventory' ? [messageId] : [] } }));
    gw.returns.respondWith(() => ({ status: 0, reset: true }));
    const saga = await gw.sut.http().post('/v1/dead-letters/replay').set(bearer(ops.key)).send({ saga: orderId });
    expect(saga.status).toBe(200);
    expect(saga.body).toEqual({ saga: orderId, correlationId: orderId, replayed: [{ service: 'inventory', replayed: [messageId] }], unavailable: ['returns'] });
    expect(SERVICES.filter((service) => service !== 'returns').map((service) => JSON.parse(sent(service, '/internal/dead-letters/replay')[0].body))).toEqual(
      Array(4).fill({ correlationId: orderId }),
    );
  });

  it('discards with a reason (1–500 characters) at the service that has it', async () => {
    const letter = aDeadLetter('orders');
    gw.orders.respondWith((r) =>
      r.method === 'GET' ? { status: 200, body: letter } : { status: 200, body: { ...letter, status: 'discarded', inQueue: false, actions: [{ action: 'discarded', by: ops.keyId, at: new Date().toISOString(), reason: JSON.parse(r.body).reason }] } },
    );
    const path = `/v1/dead-letters/${letter.messageId}/discard`;

    for (const body of [{}, { reason: '' }, { reason: '   ' }, { reason: 'x'.repeat(501) }, { reason: 'ok', extra: true }, { reason: 42 }]) {
      const refused = await gw.sut.http().post(path).set(bearer(ops.key)).send(body);
      expect([refused.status, refused.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    }
    expect(allSent()).toEqual([]);

    const done = await gw.sut.http().post(path).set(bearer(ops.key)).send({ reason: '  duplicate of a manual booking ' });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ status: 'discarded', actions: [{ action: 'discarded', reason: 'duplicate of a manual booking' }] });
    expect(JSON.parse(sent('orders', `/internal/dead-letters/${letter.messageId}/discard`)[0].body)).toEqual({ reason: 'duplicate of a manual booking' });
  });

  it('refuses other callers and bad input before asking any service', async () => {
    const platform = await aPlatform(gw.sut.dataSource);
    const reviewer = (await aStaffKey(gw.sut.dataSource, ['reviewer', 'warehouse', 'inventory'])).key;
    const id = randomUUID();
    const routes: Array<['GET' | 'POST', string, object?]> = [
      ['GET', '/v1/dead-letters'],
      ['GET', `/v1/dead-letters/${id}`],
      ['POST', `/v1/dead-letters/${id}/replay`, {}],
      ['POST', '/v1/dead-letters/replay', { saga: id }],
      ['POST', `/v1/dead-letters/${id}/discard`, { reason: 'x' }],
    ];
    for (const [method, path, body] of routes) {
      const call = (key?: string) => {
        const req = method === 'GET' ? gw.sut.http().get(path) : gw.sut.http().post(path).send(body);
        return key ? req.set(bearer(key)) : req;
      };
      expect([(await call()).status, (await call(platform.key)).status, (await call(reviewer)).status]).toEqual([401, 403, 403]);
    }
    const bad = [
      gw.sut.http().get('/v1/dead-letters?service=gateway'),
      gw.sut.http().get('/v1/dead-letters?saga=ORDER-1'),
      gw.sut.http().get('/v1/dead-letters?limit=501'),
      gw.sut.http().get('/v1/dead-letters?unknown=1'),
      gw.sut.http().get('/v1/dead-letters/has%20space'),
      gw.sut.http().get(`/v1/dead-letters/${'x'.repeat(201)}`),
      gw.sut.http().post('/v1/dead-letters/replay').send({}),
      gw.sut.http().post('/v1/dead-letters/replay').send({ saga: 'nope' }),
      gw.sut.http().post(`/v1/dead-letters/${id}/replay?service=billing`),
    ];
    for (const req of bad) {
      const res = await req.set(bearer(ops.key));
      expect([res.status, res.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    }
    expect(allSent()).toEqual([]);
  });
});
