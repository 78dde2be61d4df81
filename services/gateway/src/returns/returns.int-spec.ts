import { randomUUID } from 'node:crypto';
import type { StaffRole } from '@skald/service-kit';
import { aPlatform, aStaffKey, bearer, type TestPlatform } from '../../test/factories.js';
import type { ReceivedRequest } from '../../test/fake-upstream.js';
import { startGateway, type GatewayUnderTest } from '../../test/gateway-under-test.js';

type Method = 'GET' | 'POST' | 'PUT';
/** Who calls: a platform (the first, or the second) or a staff key with these roles. */
type Who = 'platform' | StaffRole[];

const fieldsOf = (body: { errors?: Array<{ field: string }> }) => [...new Set((body.errors ?? []).map((error) => error.field))].sort();

/** A valid POST /v1/returns body. */
const aReturn = (orderId = randomUUID()) => ({
  orderId,
  lines: [{ sku: 'TEA-EARLGREY-250', quantity: 1, reasonCode: 'DAMAGED_IN_TRANSIT', comment: 'the lid was cracked' }],
  resolution: 'refund',
});

describe('returns through the gateway: forwarded to the returns service, authorised, scoped and validated (fake upstreams)', () => {
  let gw: GatewayUnderTest;
  let platform: TestPlatform;
  let other: TestPlatform;
  const keys = new Map<string, string>();
  const upstreamCalls = () => gw.orders.received.length + gw.inventory.received.length + gw.warehouse.received.length + gw.returns.received.length;

  /** A key for `who` (staff keys made once per role set). */
  async function keyOf(who: Who): Promise<string> {
    if (who === 'platform') return platform.key;
    const name = [...who].sort().join(',');
    if (!keys.has(name)) keys.set(name, (await aStaffKey(gw.sut.dataSource, who)).key);
    return keys.get(name)!;
  }

  function send(method: Method, path: string, key: string, body?: unknown, idempotencyKey?: string) {
    const request = method === 'GET' ? gw.sut.http().get(path) : method === 'PUT' ? gw.sut.http().put(path) : gw.sut.http().post(path);
    request.set(bearer(key));
    if (idempotencyKey) request.set('Idempotency-Key', idempotencyKey);
    return body === undefined ? request : request.send(body as object);
  }

  /** What the fake returns service received at exactly this path (and query). */
  const forwardedTo = (url: string): ReceivedRequest[] => gw.returns.received.filter((r) => r.url === url);

  beforeAll(async () => {
    gw = await startGateway();
    [platform, other] = await Promise.all([aPlatform(gw.sut.dataSource), aPlatform(gw.sut.dataSource)]);
    // Echoes what it got, so a test sees the answer came from the returns service.
    gw.returns.respondWith((request) => ({ status: request.method === 'POST' && request.url === '/v1/returns' ? 202 : 200, body: { served: 'returns', url: request.url } }));
  });

  afterAll(async () => {
    await gw?.close();
  });

  it('forwards a return request as it is, with the platform, the scoped Idempotency-Key and the internal token, and replays a repeat without forwarding it', async () => {
    const body = aReturn();
    const accepted = { id: randomUUID(), rmaNumber: 'RMA-2026-000123', status: 'requested' };
    gw.returns.respondWith(() => ({ status: 202, body: accepted }));
    const key = randomUUID();

    const first = await send('POST', '/v1/returns', platform.key, body, key).set('X-Correlation-Id', `corr-${key}`);
    const again = await send('POST', '/v1/returns', platform.key, body, key);

    expect([first.status, again.status]).toEqual([202, 202]);
    expect(first.body).toEqual(accepted);
    expect(again.body).toEqual(accepted);
    expect(again.headers['idempotent-replayed']).toBe('true');
    const forwarded = gw.returns.received.filter((r) => r.body.includes(body.orderId));
    expect(forwarded).toHaveLength(1);
    expect(forwarded[0]).toMatchObject({ method: 'POST', url: '/v1/returns' });
    expect(JSON.parse(forwarded[0].body)).toEqual(body);
    expect(forwarded[0].headers).toMatchObject({
      'x-skald-caller': 'platform',
      'x-skald-tenant-id': platform.tenantId,
      'x-skald-principal': platform.keyId,
      'x-skald-idempotency-key': `platform:${platform.tenantId}:${key}`,
      'x-correlation-id': `corr-${key}`,
    });
    expect(forwarded[0].headers['x-skald-internal-token']).toEqual(expect.any(String));
    expect(forwarded[0].headers.authorization).toBeUndefined();
    expect(gw.orders.received.filter((r) => r.body.includes(body.orderId))).toEqual([]);
  });

  it("passes the returns service's refusals through as problem+json, unchanged", async () => {
    const problem = { type: 'about:blank', title: 'Unprocessable Entity', status: 422, code: 'RETURN_QUANTITY_EXCEEDED', detail: 'TEA-1: 3 asked, 2 returnable' };
    gw.returns.respondWith(() => ({ status: 422, raw: JSON.stringify(problem), headers: { 'content-type': 'application/problem+json' } }));

    const res = await send('POST', '/v1/returns', platform.key, aReturn(), randomUUID());

    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toEqual(problem);
  });

  it("scopes a platform's reads and commands by its own key: a tenant header the client sends is never passed on", async () => {
    gw.returns.respondWith(() => ({ status: 200, body: { items: [], nextCursor: null } }));
    const orderId = randomUUID();
    const returnId = randomUUID();

    const list = await send('GET', `/v1/returns?orderId=${orderId}`, other.key).set('x-skald-tenant-id', platform.tenantId).set('x-skald-caller', 'staff');
    const one = await send('GET', `/v1/returns/${returnId}`, other.key).set('x-skald-tenant-id', platform.tenantId);
    const cancel = await send('POST', `/v1/returns/${returnId}/cancel`, other.key, {}).set('x-skald-roles', 'admin');

    expect([list.status, one.status, cancel.status]).toEqual([200, 200, 200]);
    const sent = [...forwardedTo(`/v1/returns?orderId=${orderId}`), ...forwardedTo(`/v1/returns/${returnId}`), ...forwardedTo(`/v1/returns/${returnId}/cancel`)];
    expect(sent.map((r) => [r.headers['x-skald-caller'], r.headers['x-skald-tenant-id'], r.headers['x-skald-roles']])).toEqual([
      ['platform', other.tenantId, undefined],
      ['platform', other.tenantId, undefined],
      ['platform', other.tenantId, undefined],
    ]);
  });

  const id = randomUUID();
  const tenant = randomUUID();
  const inspection = { lines: [{ sku: 'TEA-1', quantity: 1, grade: 'B', note: 'dented' }] };
  // route, allowed callers, refused callers, body
  const access: Array<[Method, string, Who[], Who[], unknown]> = [
    ['POST', '/v1/returns', ['platform'], [['admin'], ['reviewer', 'ops', 'warehouse']], aReturn()],
    ['GET', '/v1/returns?status=requested', ['platform', ['reviewer'], ['warehouse'], ['ops'], ['admin']], [['inventory']], undefined],
    ['GET', `/v1/returns/${id}`, ['platform', ['reviewer'], ['warehouse'], ['ops'], ['admin']], [['inventory']], undefined],
    ['POST', `/v1/returns/${id}/cancel`, ['platform', ['reviewer'], ['ops'], ['admin']], [['warehouse', 'inventory']], { reason: 'kept it' }],
    ['POST', `/v1/returns/${id}/review`, [['reviewer'], ['admin']], ['platform', ['ops', 'warehouse', 'inventory']], { decision: 'approve', reason: 'photos checked' }],
    ['POST', `/v1/returns/${id}/receive`, [['warehouse'], ['admin']], ['platform', ['reviewer', 'ops', 'inventory']], {}],
    ['POST', `/v1/returns/${id}/inspect`, [['warehouse'], ['admin']], ['platform', ['reviewer', 'ops', 'inventory']], inspection],
    ['PUT', `/v1/platforms/${tenant}/return-policy`, [['admin']], ['platform', ['reviewer', 'ops', 'warehouse', 'inventory']], { windowDays: 14 }],
    ['GET', `/v1/platforms/${tenant}/return-policy`, [['admin'], ['reviewer'], ['ops']], ['platform', ['warehouse', 'inventory']], undefined],
    ['GET', '/v1/analytics/returns?groupBy=sku', [['admin'], ['reviewer'], ['ops']], ['platform', ['warehouse', 'inventory']], undefined],
  ];

  it.each(access)('%s %s: forwarded for the callers allowed, 403 problem+json for the others (nothing forwarded)', async (method, path, allowed, refused, body) => {
    gw.returns.respondWith((request) => ({ status: 200, body: { served: 'returns', url: request.url } }));
    for (const who of refused) {
      const before = upstreamCalls();
      const res = await send(method, path, await keyOf(who), body, randomUUID());
      expect({ who, status: res.status, code: res.body.code }).toEqual({ who, status: 403, code: 'FORBIDDEN' });
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(upstreamCalls()).toBe(before);
    }
    for (const who of allowed) {
      const before = forwardedTo(path).length;
      const res = await send(method, path, await keyOf(who), body, randomUUID());
      expect({ who, status: res.status, body: res.body }).toEqual({ who, status: 200, body: { served: 'returns', url: path } });
      const [forwarded] = forwardedTo(path).slice(before);
      expect(forwarded.method).toBe(method);
      expect(forwarded.body).toBe(body === undefined ? '' : JSON.stringify(body));
      expect(forwarded.headers['x-skald-roles']).toBe(who === 'platform' ? undefined : [...who].join(','));
    }
  });

  it.each([
    ['POST', '/v1/returns', 'platform', aReturn()],
    ['POST', `/v1/returns/${id}/receive`, ['warehouse'], { lines: [{ sku: 'TEA-1', quantity: 1 }] }],
    ['POST', `/v1/returns/${id}/inspect`, ['warehouse'], inspection],
  ] as Array<[Method, string, Who, unknown]>)('%s %s needs an Idempotency-Key: 400 without one, nothing forwarded', async (method, path, who, body) => {
    const before = upstreamCalls();

    const res = await send(method, path, await keyOf(who), body);

    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    expect(fieldsOf(res.body)).toEqual(['Idempotency-Key']);
    expect(upstreamCalls()).toBe(before);
  });

  it('takes cancellations, reviews and policies with or without an Idempotency-Key (a repeat of them changes nothing)', async () => {
    gw.returns.respondWith((request) => ({ status: 200, body: { served: 'returns', url: request.url } }));
    const returnId = randomUUID();
    const platformId = randomUUID();

    const answers = await Promise.all([
      send('POST', `/v1/returns/${returnId}/cancel`, platform.key, {}),
      send('POST', `/v1/returns/${returnId}/review`, await keyOf(['reviewer']), { decision: 'reject', reason: 'worn' }),
      send('PUT', `/v1/platforms/${platformId}/return-policy`, await keyOf(['admin']), {}),
    ]);

    expect(answers.map((res) => res.status)).toEqual([200, 200, 200]);
    expect(gw.returns.received.filter((r) => r.url.includes(returnId) || r.url.includes(platformId)).map((r) => r.headers['x-skald-idempotency-key'])).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
  });

  const many = (n: number, line: object) => Array.from({ length: n }, () => line);
  const bad: Array<[string, Method, string, Who, unknown, string[]]> = [
    ['a return without anything', 'POST', '/v1/returns', 'platform', {}, ['orderId', 'lines', 'resolution']],
    ['a return of an order id that is not a UUID', 'POST', '/v1/returns', 'platform', { ...aReturn(), orderId: 'SHOP-1' }, ['orderId']],
    ['a return without lines', 'POST', '/v1/returns', 'platform', { ...aReturn(), lines: [] }, ['lines']],
    ['a return of 201 lines', 'POST', '/v1/returns', 'platform', { ...aReturn(), lines: many(201, aReturn().lines[0]) }, ['lines']],
    ['a return resolved by store credit', 'POST', '/v1/returns', 'platform', { ...aReturn(), resolution: 'credit' }, ['resolution']],
    [
      'a return with bad lines',
      'POST',
      '/v1/returns',
      'platform',
      {
        ...aReturn(),
        lines: [
          { sku: 'TEA 1', quantity: 0, reasonCode: 'damaged', comment: 'x'.repeat(1001) },
          { sku: 'TEA-2', quantity: 1.5, reasonCode: 'DAMAGED', extra: true },
          { sku: 'TEA-3', quantity: 1 },
        ],
      },
      ['lines.0.sku', 'lines.0.quantity', 'lines.0.reasonCode', 'lines.0.comment', 'lines.1.quantity', 'lines.1.extra', 'lines.2.reasonCode'],
    ],
    ['a return with a field of its own', 'POST', '/v1/returns', 'platform', { ...aReturn(), refundTo: 'card' }, ['refundTo']],
    ['a list filtered by an unknown status', 'GET', '/v1/returns?status=lost', 'platform', undefined, ['status']],
    ['a list of a page size above 100', 'GET', '/v1/returns?limit=101', ['ops'], undefined, ['limit']],
    ['a list by an order id that is not a UUID', 'GET', '/v1/returns?orderId=SHOP-1&cursor=a%20b&sort=asc', ['ops'], undefined, ['orderId', 'cursor', 'sort']],
    ['a return id that is not a UUID', 'GET', '/v1/returns/RMA-2026-000001', 'platform', undefined, ['id']],
    ['a cancellation with a long reason', 'POST', `/v1/returns/${id}/cancel`, 'platform', { reason: 'x'.repeat(501) }, ['reason']],
    ['a review without reason', 'POST', `/v1/returns/${id}/review`, ['reviewer'], { decision: 'approve' }, ['reason']],
    ['a review with an unknown decision', 'POST', `/v1/returns/${id}/review`, ['reviewer'], { decision: 'maybe', reason: 'x' }, ['decision']],
    ['a receipt with an empty list of lines', 'POST', `/v1/returns/${id}/receive`, ['warehouse'], { lines: [] }, ['lines']],
    ['a receipt line without quantity', 'POST', `/v1/returns/${id}/receive`, ['warehouse'], { lines: [{ sku: 'TEA-1' }] }, ['lines.0.quantity']],
    ['an inspection without lines', 'POST', `/v1/returns/${id}/inspect`, ['warehouse'], {}, ['lines']],
    [
      'an inspection with an unknown grade and no quantity',
      'POST',
      `/v1/returns/${id}/inspect`,
      ['warehouse'],
      { lines: [{ sku: 'TEA-1', quantity: 1, grade: 'D' }, { sku: 'TEA-1', grade: 'A', note: 'x'.repeat(501) }] },
      ['lines.0.grade', 'lines.1.quantity', 'lines.1.note'],
    ],
    [
      'a policy out of bounds',
      'PUT',
      `/v1/platforms/${tenant}/return-policy`,
      ['admin'],
      { windowDays: 366, reviewReasons: ['changed mind'], reviewAbove: -1, scrapRefundPercent: 100.5 },
      ['windowDays', 'reviewReasons', 'reviewAbove', 'scrapRefundPercent'],
    ],
    ['a policy with 5 decimals', 'PUT', `/v1/platforms/${tenant}/return-policy`, ['admin'], { reviewAbove: 1.00001, scrapRefundPercent: 33.333 }, ['reviewAbove', 'scrapRefundPercent']],
    ['a policy of a platform id that is not a UUID', 'PUT', '/v1/platforms/shop-1/return-policy', ['admin'], { windowDays: 30 }, ['platformId']],
    ['a policy read of a platform id that is not a UUID', 'GET', '/v1/platforms/shop-1/return-policy', ['reviewer'], undefined, ['platformId']],
    ['an inspection of 601 lines', 'POST', `/v1/returns/${id}/inspect`, ['warehouse'], { lines: many(601, inspection.lines[0]) }, ['lines']],
    ['analytics of a platform id that is not a UUID', 'GET', '/v1/analytics/returns?platformId=shop-1', ['reviewer'], undefined, ['platformId']],
    ['analytics grouped by colour', 'GET', '/v1/analytics/returns?groupBy=colour', ['ops'], undefined, ['groupBy']],
    ['analytics over days that are not dates', 'GET', '/v1/analytics/returns?from=last%20week&to=2026-12-01T10:00:00', ['ops'], undefined, ['from', 'to']],
  ];

  it.each(bad)('refuses %s with 400 problem+json naming every bad field, and forwards nothing', async (_case, method, path, who, body, fields) => {
    const before = upstreamCalls();

    const res = await send(method, path, await keyOf(who), body, randomUUID());

    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(fieldsOf(res.body)).toEqual([...fields].sort());
    expect(upstreamCalls()).toBe(before);
  });

  it('answers 422 AMOUNT_OUT_OF_RANGE for a quantity or a review amount beyond the bounds, forwarding nothing', async () => {
    const before = upstreamCalls();

    const tooMany = await send('POST', '/v1/returns', platform.key, { ...aReturn(), lines: [{ sku: 'TEA-1', quantity: 1e9, reasonCode: 'DAMAGED' }] }, randomUUID());
    const tooMuch = await send('PUT', `/v1/platforms/${tenant}/return-policy`, await keyOf(['admin']), { reviewAbove: 1e12 });

    expect([tooMany.status, tooMany.body.code, tooMuch.status, tooMuch.body.code]).toEqual([422, 'AMOUNT_OUT_OF_RANGE', 422, 'AMOUNT_OUT_OF_RANGE']);
    expect(upstreamCalls()).toBe(before);
  });

  it('forwards valid commands and checked queries as the client sent them', async () => {
    gw.returns.respondWith((request) => ({ status: 202, body: { served: 'returns', url: request.url } }));
    const [returnId, platformId] = [randomUUID(), randomUUID()];
    const warehouse = await keyOf(['warehouse']);
    const policy = { windowDays: 14, reviewReasons: ['CHANGED_MIND', 'WRONG_SIZE'], reviewAbove: 250.5, scrapRefundPercent: 12.5 };
    const receipt = { lines: [{ sku: 'TEA-1', quantity: 2 }] };
    const graded = { lines: [{ sku: 'TEA-1', quantity: 1, grade: 'A' }, ...many(599, { sku: 'TEA-1', quantity: 1, grade: 'C', note: 'crushed' })] };
    const orderId = randomUUID();

    const answers = [
      await send('POST', `/v1/returns/${returnId}/receive`, warehouse, {}, randomUUID()),
      await send('POST', `/v1/returns/${returnId}/receive`, warehouse, receipt, randomUUID()),
      await send('POST', `/v1/returns/${returnId}/inspect`, warehouse, graded, randomUUID()),
      await send('PUT', `/v1/platforms/${platformId}/return-policy`, await keyOf(['admin']), { ...policy, reviewAbove: null }),
      await send('PUT', `/v1/platforms/${platformId}/return-policy`, await keyOf(['admin']), policy),
      await send('GET', `/v1/returns?orderId=${orderId}&status=requested&limit=20&cursor=WyIyMDI2LTEyLTA2In0`, await keyOf(['reviewer'])),
      await send('GET', `/v1/analytics/returns?from=2026-11-01&to=2026-12-01T00:00:00%2B01:00&groupBy=channel&platformId=${platformId}`, await keyOf(['ops'])),
    ];

    expect(answers.map((res) => res.status)).toEqual([202, 202, 202, 202, 202, 202, 202]);
    expect(forwardedTo(`/v1/returns/${returnId}/receive`).map((r) => r.body)).toEqual(['{}', JSON.stringify(receipt)]);
    expect(forwardedTo(`/v1/returns/${returnId}/inspect`).map((r) => JSON.parse(r.body))).toEqual([graded]);
    expect(forwardedTo(`/v1/returns/${returnId}/inspect`)[0].headers['x-skald-idempotency-key']).toMatch(/^staff:[0-9a-f]+:/);
    expect(forwardedTo(`/v1/platforms/${platformId}/return-policy`).map((r) => JSON.parse(r.body))).toEqual([{ ...policy, reviewAbove: null }, policy]);
    expect(gw.returns.received.map((r) => r.url)).toEqual(
      expect.arrayContaining([
        `/v1/returns?orderId=${orderId}&status=requested&limit=20&cursor=WyIyMDI2LTEyLTA2In0`,
        `/v1/analytics/returns?from=2026-11-01&to=2026-12-01T00:00:00%2B01:00&groupBy=channel&platformId=${platformId}`,
      ]),
    );
  });

  it('forwards no query string a route does not check', async () => {
    gw.returns.respondWith(() => ({ status: 200, body: {} }));
    const returnId = randomUUID();

    const res = await send('GET', `/v1/returns/${returnId}?debug=1`, platform.key);

    expect(res.status).toBe(200);
    expect(gw.returns.received.filter((r) => r.url.startsWith(`/v1/returns/${returnId}`)).map((r) => r.url)).toEqual([`/v1/returns/${returnId}`]);
  });
});
