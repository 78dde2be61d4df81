import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { ServiceTimeline, TimelineEntry } from '@skald/contracts';
import { aPlatform, aStaffKey, bearer, type TestPlatform } from '../../test/factories.js';
import type { FakeUpstream, ReceivedRequest } from '../../test/fake-upstream.js';
import { startGateway, type GatewayUnderTest } from '../../test/gateway-under-test.js';
import { runCli } from '../cli/run-cli.js';

const at = (ms: number) => new Date(Date.UTC(2026, 11, 7, 1, 0, 0) + ms).toISOString();
const entry = (service: string, ms: number, summary: string, extra: Partial<TimelineEntry> = {}): TimelineEntry => ({
  at: at(ms),
  service,
  kind: 'message.handled',
  summary,
  ...extra,
});
const part = (service: string, correlationId: string, entries: TimelineEntry[], sagas: ServiceTimeline['sagas'] = []): ServiceTimeline => ({
  service,
  correlationId,
  entries,
  sagas,
});

/** The timeline parts the fake services answer, by correlation id; anything else is an empty part. */
function serveTimelines(upstream: FakeUpstream, name: string, parts: Map<string, ServiceTimeline>, extra?: (request: ReceivedRequest) => { status: number; body?: unknown } | undefined) {
  upstream.respondWith((request) => {
    const special = extra?.(request);
    if (special) return special;
    const timeline = /^\/internal\/timeline\/([^/?]+)$/.exec(request.url);
    if (timeline) {
      const id = decodeURIComponent(timeline[1]);
      return { status: 200, body: parts.get(id) ?? part(name, id, []) };
    }
    return { status: 404, body: { code: 'NOT_FOUND' } };
  });
}

describe('GET /v1/sagas: a saga timeline merged from every service, the on-call lists, and skald trace (fake upstreams)', () => {
  let gw: GatewayUnderTest;
  let platform: TestPlatform;
  let ops: string;
  let admin: string;
  let reviewer: string;
  const parts: Record<string, Map<string, ServiceTimeline>> = {};
  let rmas: Map<string, { returnId: string; orderId: string }>;

  beforeAll(async () => {
    gw = await startGateway();
    platform = await aPlatform(gw.sut.dataSource);
    [ops, admin, reviewer] = (await Promise.all([aStaffKey(gw.sut.dataSource, ['ops']), aStaffKey(gw.sut.dataSource, ['admin']), aStaffKey(gw.sut.dataSource, ['reviewer'])])).map(
      (key) => key.key,
    );
    rmas = new Map();
    for (const name of ['orders', 'inventory', 'warehouse', 'notifications'] as const) {
      parts[name] = new Map();
      serveTimelines(gw[name], name, parts[name]);
    }
    parts.returns = new Map();
    serveTimelines(gw.returns, 'returns', parts.returns, (request) => {
      const rma = /^\/internal\/rma\/(RMA-[\d-]+)$/.exec(request.url);
      if (!rma) return undefined;
      const found = rmas.get(rma[1]);
      return found ? { status: 200, body: { ...found, rmaNumber: rma[1] } } : { status: 404, body: { code: 'RETURN_NOT_FOUND' } };
    });
  });

  afterAll(async () => {
    await gw?.close();
  });

  /** An order saga seen by orders, inventory, warehouse and notifications, in that order of time but answered shuffled. */
  function anOrderSaga(orderId = randomUUID()): string {
    parts.orders.set(
      orderId,
      part(
        'orders',
        orderId,
        [
          entry('orders', 0, 'reviewing → reserving', { kind: 'saga.state', traceId: 'a'.repeat(32) }),
          entry('orders', 50, 'inventory.stock.reserved.v1 handled by OrderSagaHandler.onStockReserved', { durationMs: 12, handler: 'OrderSagaHandler.onStockReserved' }),
        ],
        [{ id: orderId, type: 'order', state: 'fulfilling', deadline: new Date(Date.now() + 3_600_000).toISOString(), waitingFor: ['the warehouses to pick, pack and ship'], finished: false }],
      ),
    );
    parts.inventory.set(orderId, part('inventory', orderId, [entry('inventory', 20, 'inventory.reserve-stock.v1 handled by ReservationsHandler.onReserveStock', { attempts: 2 })]));
    parts.warehouse.set(orderId, part('warehouse', orderId, [entry('warehouse', 80, 'warehouse.create-outbound-notes.v1 handled')]));
    parts.notifications.set(orderId, part('notifications', orderId, [entry('notifications', 30, 'e-mail "Your order" to j…@example.com: sent', { kind: 'notification' })]));
    return orderId;
  }

  it('merges every service’s part into one time-ordered timeline with the saga and what it waits for (role ops)', async () => {
    const orderId = anOrderSaga();
    // The gateway's own part: a message in its outbox for the saga.
    await gw.sut.dataSource.query(
      `INSERT INTO outbox_message (id, exchange, routing_key, envelope, headers, correlation_id, created_at, sent_at)
       VALUES ($1, 'skald.events', 'gateway.test.v1', '{}', $2, $3, $4, $4)`,
      [randomUUID(), JSON.stringify({ traceparent: `00-${'b'.repeat(32)}-${'c'.repeat(16)}-01` }), orderId, at(10)],
    );

    const res = await gw.sut.http().get(`/v1/sagas/${orderId}`).set(bearer(ops));

    expect(res.status).toBe(200);
    expect(res.body.entries.map((e: TimelineEntry) => e.service)).toEqual(['orders', 'gateway', 'inventory', 'notifications', 'orders', 'warehouse']);
    expect(res.body.entries[1]).toMatchObject({ kind: 'message.published', routingKey: 'gateway.test.v1', traceId: 'b'.repeat(32) });
    expect(res.body.sagas).toEqual([expect.objectContaining({ id: orderId, type: 'order', state: 'fulfilling', service: 'orders' })]);
    expect(res.body.pending).toMatchObject({ sagaId: orderId, state: 'fulfilling', waitingFor: ['the warehouses to pick, pack and ship'], overdue: false });
    expect(res.body.gaps).toEqual([]);
    // Each service was asked for its part, as the caller, with the internal token.
    for (const upstream of [gw.orders, gw.inventory, gw.warehouse, gw.returns, gw.notifications]) {
      const [asked] = upstream.requestsTo(`/internal/timeline/${orderId}`);
      expect(asked.headers).toMatchObject({ 'x-skald-caller': 'staff', 'x-skald-roles': 'ops' });
      expect(asked.headers['x-skald-internal-token']).toEqual(expect.any(String));
    }
  });

  it('lets admin pass and refuses platform keys and staff without ops', async () => {
    const orderId = anOrderSaga();
    const [asAdmin, asPlatform, asReviewer, anonymous] = await Promise.all([
      gw.sut.http().get(`/v1/sagas/${orderId}`).set(bearer(admin)),
      gw.sut.http().get(`/v1/sagas/${orderId}`).set(bearer(platform.key)),
      gw.sut.http().get(`/v1/sagas?state=stuck`).set(bearer(reviewer)),
      gw.sut.http().get(`/v1/sagas/${orderId}`),
    ]);
    expect([asAdmin.status, asPlatform.status, asReviewer.status, anonymous.status]).toEqual([200, 403, 403, 401]);
    expect(asPlatform.body.code).toBe('FORBIDDEN');
    expect(asPlatform.headers['content-type']).toContain('application/problem+json');
  });

  it('shows a service that is down and one slower than 2 s as gaps, not as an error', async () => {
    const orderId = anOrderSaga();
    // Dropped connections (what a crashed service looks like; refused ones are the same gap) and a slow answer.
    gw.warehouse.respondWith(() => ({ status: 200, reset: true }));
    gw.inventory.respondWith(async () => {
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      return { status: 200, body: part('inventory', orderId, []) };
    });
    try {
      const started = Date.now();
      const res = await gw.sut.http().get(`/v1/sagas/${orderId}`).set(bearer(ops));

      expect(res.status).toBe(200);
      expect(Date.now() - started).toBeLessThan(2_900);
      expect(res.body.gaps).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ service: 'warehouse', code: 'UPSTREAM_UNAVAILABLE' }),
          expect.objectContaining({ service: 'inventory', code: 'UPSTREAM_TIMEOUT' }),
        ]),
      );
      expect(res.body.entries.map((e: TimelineEntry) => e.service)).toEqual(['orders', 'notifications', 'orders']);
    } finally {
      serveTimelines(gw.inventory, 'inventory', parts.inventory);
      serveTimelines(gw.warehouse, 'warehouse', parts.warehouse);
    }
  });

  it('resolves an RMA number to its return through the returns service, and names the return’s order', async () => {
    const returnId = randomUUID();
    const orderId = randomUUID();
    rmas.set('RMA-2026-000777', { returnId, orderId });
    parts.returns.set(
      returnId,
      part('returns', returnId, [entry('returns', 0, 'requested → approved', { kind: 'saga.state' })], [{ id: returnId, type: 'return', state: 'closed', finished: true }]),
    );

    const res = await gw.sut.http().get('/v1/sagas/RMA-2026-000777').set(bearer(ops));

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ref: 'RMA-2026-000777', correlationId: returnId, orderId, pending: null });
    expect(gw.orders.requestsTo(`/internal/timeline/${returnId}`)).toHaveLength(1);
  });

  it('answers 404 problem+json when no service knows the saga or the RMA number, 400 for anything else', async () => {
    const [unknown, unknownRma, bad, badQuery, noSuchDay, badCursor] = await Promise.all([
      gw.sut.http().get(`/v1/sagas/${randomUUID()}`).set(bearer(ops)),
      gw.sut.http().get('/v1/sagas/RMA-2026-999999').set(bearer(ops)),
      gw.sut.http().get('/v1/sagas/not-a-saga').set(bearer(ops)),
      gw.sut.http().get('/v1/sagas?state=sleeping&since=yesterday').set(bearer(ops)),
      gw.sut.http().get('/v1/sagas?state=stuck&since=2026-02-30T10:00:00Z').set(bearer(ops)),
      gw.sut.http().get('/v1/sagas?state=stuck&cursor=bm90LWEtY3Vyc29y').set(bearer(ops)),
    ]);
    expect([unknown.status, unknownRma.status, bad.status, badQuery.status, noSuchDay.status, badCursor.status]).toEqual([404, 404, 400, 400, 400, 400]);
    expect([noSuchDay.body.errors[0].field, badCursor.body.errors[0].field]).toEqual(['since', 'cursor']);
    expect([unknown.body.code, unknownRma.body.code, bad.body.code, badQuery.body.code]).toEqual(['SAGA_NOT_FOUND', 'SAGA_NOT_FOUND', 'VALIDATION_FAILED', 'VALIDATION_FAILED']);
    expect([...new Set(badQuery.body.errors.map((error: { field: string }) => error.field))].sort()).toEqual(['since', 'state']);
  });

  describe('GET /v1/sagas?state=', () => {
    const summary = (service: string, minutesAgo: number, id = randomUUID()) => ({
      id,
      type: service === 'orders' ? 'order' : 'return',
      state: 'cancelling',
      service,
      stuck: true,
      updatedAt: new Date(Date.now() - minutesAgo * 60_000).toISOString(),
    });

    it('merges the stuck sagas of orders and returns newest first, pages with one cursor, and shows a service that is down as a gap', async () => {
      const fromOrders = [summary('orders', 1), summary('orders', 3)];
      const fromReturns = [summary('returns', 2)];
      gw.orders.respondWith((request) => ({ status: 200, body: request.url.startsWith('/internal/sagas?') ? { sagas: fromOrders, nextCursor: 'more' } : {} }));
      gw.returns.respondWith((request) => ({ status: 200, body: request.url.startsWith('/internal/sagas?') ? { sagas: fromReturns } : {} }));

      const first = await gw.sut.http().get('/v1/sagas?state=stuck&limit=2&since=2026-01-01T00:00:00Z').set(bearer(ops));

      expect(first.status).toBe(200);
      expect(first.body.sagas.map((saga: { id: string }) => saga.id)).toEqual([fromOrders[0].id, fromReturns[0].id]);
      expect(first.body.nextCursor).toEqual(expect.any(String));
      expect(gw.orders.received.at(-1)!.url).toBe('/internal/sagas?state=stuck&limit=2&since=2026-01-01T00%3A00%3A00.000Z');

      gw.returns.respondWith(() => ({ status: 200, reset: true }));
      const next = await gw.sut.http().get(`/v1/sagas?state=stuck&limit=2&cursor=${first.body.nextCursor}`).set(bearer(ops));
      expect(next.status).toBe(200);
      // The orders service is asked to go on after the merged page's last saga; it answered all again, the gateway keeps only what follows.
      expect(new URL(gw.orders.received.at(-1)!.url, 'http://x').searchParams.get('cursor')).toEqual(expect.any(String));
      expect(next.body.sagas.map((saga: { id: string }) => saga.id)).toEqual([fromOrders[1].id]);
      expect(next.body.gaps).toEqual([expect.objectContaining({ service: 'returns', code: 'UPSTREAM_UNAVAILABLE' })]);
    });

    it('lists failed sagas from every service’s dead letters, grouped by saga, the last reason first', async () => {
      const sagaId = randomUUID();
      const letters = (service: string, reasons: Array<[string, number]>) => ({
        service,
        depth: reasons.length,
        deadLetters: reasons.map(([reason, minutesAgo]) => ({ messageId: randomUUID(), correlationId: sagaId, reason, deadLetteredAt: new Date(Date.now() - minutesAgo * 60_000).toISOString() })),
      });
      gw.inventory.respondWith((request) => ({ status: 200, body: request.url.startsWith('/internal/dead-letters') ? letters('inventory', [['RETRIES_EXHAUSTED', 5]]) : {} }));
      gw.notifications.respondWith((request) => ({
        status: 200,
        body: request.url.startsWith('/internal/dead-letters') ? { ...letters('notifications', [['NON_RETRYABLE_ERROR', 1]]), deadLetters: [...letters('notifications', [['NON_RETRYABLE_ERROR', 1]]).deadLetters, { messageId: randomUUID(), correlationId: null, reason: 'INVALID_ENVELOPE', deadLetteredAt: new Date().toISOString() }] } : {},
      }));

      const res = await gw.sut.http().get('/v1/sagas?state=failed').set(bearer(ops));

      expect(res.status).toBe(200);
      expect(res.body.sagas).toEqual([expect.objectContaining({ id: sagaId, service: 'inventory,notifications', deadLetters: 2, lastReason: 'NON_RETRYABLE_ERROR' })]);
      expect(gw.inventory.received.at(-1)!.url).toBe('/internal/dead-letters?limit=500');
    });
  });

  it('skald trace prints the timeline aligned, gaps and the pending step last; plain without a terminal', async () => {
    const orderId = anOrderSaga();
    for (const name of ['orders', 'inventory', 'warehouse', 'notifications'] as const) serveTimelines(gw[name], name, parts[name]);
    const server = gw.sut.app.getHttpServer();
    if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const env = { SKALD_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, SKALD_API_KEY: ops };
    const run = async (isTTY: boolean, extraEnv: Record<string, string> = {}, ...argv: string[]) => {
      const out: string[] = [];
      const err: string[] = [];
      const code = await runCli(argv, { env: { ...env, ...extraEnv }, out: (line) => out.push(line), err: (line) => err.push(line), isTTY });
      return { code, out, err };
    };

    const plain = await run(false, {}, 'trace', orderId);

    expect(plain.code).toBe(0);
    expect(plain.out.join('\n')).not.toContain('\x1b[');
    const header = plain.out.findIndex((line) => line.startsWith('TIME (UTC)'));
    const rows = plain.out.slice(header + 1, header + 6);
    expect(rows.map((line) => line.split(/\s{2,}/)[0])).toEqual([at(0), at(20), at(30), at(50), at(80)].map((time) => time.replace('T', ' ').replace('Z', '')));
    // Aligned: each column starts at the same offset on every line.
    const serviceColumn = plain.out[header].indexOf('SERVICE');
    expect(rows.map((line) => line.slice(serviceColumn).split(' ')[0])).toEqual(['orders', 'inventory', 'notifications', 'orders', 'warehouse']);
    expect(rows[1]).toContain('+20ms');
    expect(rows[0]).toContain('a'.repeat(8));
    expect(plain.out.at(-1)).toMatch(/^PENDING {2}order saga fulfilling: waits for the warehouses to pick, pack and ship until .* \(in 59m\d\ds\)$/);

    const coloured = await run(true, {}, 'trace', orderId);
    const noColor = await run(true, { NO_COLOR: '1' }, 'trace', orderId);
    expect(coloured.out.join('\n')).toContain('\x1b[');
    expect(noColor.out.join('\n')).not.toContain('\x1b[');

    const usage = await run(false, {}, 'trace', 'nonsense');
    const unknown = await run(false, {}, 'trace', randomUUID());
    expect([usage.code, unknown.code]).toEqual([64, 1]);
    expect(unknown.err.join('\n')).toContain('404 SAGA_NOT_FOUND');

    gw.returns.respondWith(() => ({ status: 200, reset: true }));
    gw.orders.respondWith((request) => ({ status: 200, body: request.url.startsWith('/internal/sagas?') ? { sagas: [{ id: orderId, type: 'order', state: 'cancelling', service: 'orders', stuck: true, updatedAt: at(0), waitingFor: ['the compensation in progress'] }] } : {} }));
    const stuck = await run(false, {}, 'sagas', 'stuck', '--since', '2026-01-01T00:00:00Z');
    expect(stuck.code).toBe(0);
    expect(stuck.out[0]).toMatch(/^SAGA\s+TYPE\s+STATE\s+SERVICE\s+CHANGED\s+DEADLINE\s+WAITING FOR$/);
    expect(stuck.out[1]).toContain(orderId);
    expect(stuck.out[1]).toContain('cancelling (stuck)');
    expect(stuck.out.some((line) => /^GAP {2}returns: UPSTREAM_UNAVAILABLE/.test(line))).toBe(true);
  });
});
