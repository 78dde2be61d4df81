import { randomUUID } from 'node:crypto';
import { createPlatform, createStaffKey, type GatewayClient } from '../../support/gateway-client.js';
import { queryService, Trading } from '../../support/trading.js';
import { suite } from '../../support/suite-state.mjs';

/**
 * A seeded fuzz of every public route: valid requests mutated in their body, path parameters,
 * query and headers, plus malformed JSON. No answer may be a 5xx; every refusal is
 * problem+json; and a refused request stores nothing (the rows a route creates after the fuzz are
 * all explained by requests it accepted). FUZZ_REQUESTS (default 2,000) and FUZZ_SEED reproduce or
 * widen a run; a failure prints the seed and the requests that broke the rules.
 */
const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 2_000);
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const CONCURRENCY = 4;

/** mulberry32: a small, fast, seedable generator, so that a failing run can be replayed. */
function generator(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (max: number) => Math.floor(next() * max),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)],
  };
}
type Random = ReturnType<typeof generator>;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Hostile values a field may get in place of a good one. */
const HOSTILE_VALUES: Json[] = [
  null,
  true,
  0,
  -1,
  1e30,
  -1e30,
  1.5e308,
  0.1 + 0.2,
  2 ** 53 + 1,
  '',
  ' ',
  'a\u0000b',
  'line\u0007bell',
  '\u0085next-line',
  '\u202eevil',
  '😀'.repeat(50),
  'x'.repeat(10_000),
  "' OR 1=1 --",
  '${jndi:ldap://127.0.0.1/a}',
  '../../etc/passwd',
  '1e999',
  'NaN',
  '-0',
  '2026-13-45T99:99:99Z',
  [],
  [null],
  {},
  { __proto__: { admin: true } } as unknown as Json,
  { constructor: { prototype: { admin: true } } },
];

/** Hostile path segments (already URL-encoded where they must be). */
const HOSTILE_SEGMENTS = ['%00', '%2e%2e%2f%2e%2e%2f', 'a%2Fb', '%ZZ', '%C0%AF', 'x'.repeat(3_000), '%F0%9F%98%80', "'%20OR%201%3D1", '-1', '0', '00000000-0000-0000-0000-000000000000', 'null', '%20', '..', 'a%0Ab'];

const HOSTILE_QUERIES = ['limit=-1', 'limit=1e9', 'limit=abc', 'limit[]=1', 'cursor=%00', 'cursor=' + 'x'.repeat(2_000), 'status=unknown', 'status=received&status=shipped', 'from=yesterday', '%ZZ=1', 'orderId=not-a-uuid', 'warehouse=%00'];

/** Raw bodies that are not the JSON object a route expects. */
const MALFORMED_BODIES = ['{', '{"a":1,}', "{'a':1}", 'null', '[]', '"text"', '42', '\ufeff{}', '{"a":"\\ud800"}', '{"a":1}{"b":2}', `${'['.repeat(5_000)}${']'.repeat(5_000)}`, `${'{"a":'.repeat(3_000)}1${'}'.repeat(3_000)}`, 'x'.repeat(100)];

const HOSTILE_HEADERS: Array<Record<string, string>> = [
  { 'content-type': 'text/plain' },
  { 'content-type': 'application/xml' },
  { 'content-type': 'application/json; charset=latin1' },
  { authorization: 'Bearer ' },
  { authorization: 'Basic YWRtaW46YWRtaW4=' },
  { authorization: `Bearer sk_${'x'.repeat(500)}` },
  { 'idempotency-key': 'k'.repeat(5_000) },
  { 'idempotency-key': '' },
  { 'x-correlation-id': 'c'.repeat(5_000) },
  { 'x-skald-caller': 'staff', 'x-skald-roles': 'admin', 'x-skald-tenant-id': randomUUID() },
  { 'accept-encoding': 'gzip;q=x' },
];

function mutateValue(value: Json, random: Random, depth = 0): Json {
  if (depth > 4 || value === null || typeof value !== 'object') return random.pick(HOSTILE_VALUES);
  if (Array.isArray(value)) {
    if (value.length === 0 || random.next() < 0.3) return random.pick([[], Array(2_000).fill(value[0] ?? 1), random.pick(HOSTILE_VALUES)]);
    const copy = [...value];
    const i = random.int(copy.length);
    copy[i] = mutateValue(copy[i], random, depth + 1);
    return copy;
  }
  const copy: { [key: string]: Json } = { ...value };
  const keys = Object.keys(copy);
  const roll = random.next();
  if (keys.length === 0 || roll < 0.15) {
    copy[random.pick(['unexpected', '__proto__', 'constructor', 'id', 'tenantId', 'status'])] = random.pick(HOSTILE_VALUES);
  } else if (roll < 0.3) {
    delete copy[random.pick(keys)];
  } else {
    const key = random.pick(keys);
    copy[key] = random.next() < 0.6 ? mutateValue(copy[key], random, depth + 1) : random.pick(HOSTILE_VALUES);
  }
  return copy;
}

interface Route {
  name: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path segments; `{…}` marks a parameter with a good value. */
  path: () => string[];
  client: () => GatewayClient;
  body?: () => Json;
  query?: string;
}

interface FuzzRequest {
  route: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
  mutation: string;
}

interface Outcome extends FuzzRequest {
  status: number;
  contentType: string | null;
  answer: string;
}

function buildRequest(route: Route, random: Random): FuzzRequest {
  const segments = route.path();
  let body = route.body ? JSON.stringify(route.body()) : undefined;
  let query = route.query ?? '';
  const headers: Record<string, string> = {
    authorization: `Bearer ${route.client().key}`,
    ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    ...(route.method === 'POST' ? { 'idempotency-key': randomUUID() } : {}),
  };
  const kinds = ['body', 'body', 'body', 'malformed', 'path', 'query', 'headers', 'none'] as const;
  const kind = random.pick(route.body ? kinds : kinds.filter((k) => k !== 'body' && k !== 'malformed'));
  switch (kind) {
    case 'body':
      body = JSON.stringify(mutateValue(route.body!(), random));
      break;
    case 'malformed':
      body = random.pick(MALFORMED_BODIES);
      headers['content-type'] = 'application/json';
      break;
    case 'path': {
      const i = random.int(segments.length);
      segments[i] = random.pick(HOSTILE_SEGMENTS);
      break;
    }
    case 'query':
      query = random.pick(HOSTILE_QUERIES);
      break;
    case 'headers':
      Object.assign(headers, random.pick(HOSTILE_HEADERS));
      break;
    case 'none':
      break;
  }
  return { route: route.name, method: route.method, path: `/${segments.join('/')}${query ? `?${query}` : ''}`, headers, body, mutation: kind };
}

async function send(request: FuzzRequest): Promise<Outcome> {
  const res = await fetch(`${suite().urls.gateway}${request.path}`, { method: request.method, headers: request.headers, body: request.body });
  return { ...request, status: res.status, contentType: res.headers.get('content-type'), answer: await res.text() };
}

/** What broke the rules: a 5xx, or a refusal that is not problem+json with its own status. */
function violation(outcome: Outcome): string | undefined {
  if (outcome.status >= 500) return `answered ${outcome.status}`;
  if (outcome.status < 400) return undefined;
  if (!outcome.contentType?.startsWith('application/problem+json')) return `${outcome.status} without problem+json (${outcome.contentType})`;
  try {
    const problem = JSON.parse(outcome.answer) as { status?: unknown; code?: unknown; title?: unknown };
    if (problem.status !== outcome.status || typeof problem.code !== 'string' || typeof problem.title !== 'string') return `${outcome.status} with a malformed problem: ${outcome.answer.slice(0, 200)}`;
  } catch {
    return `${outcome.status} with a body that is not JSON`;
  }
  return undefined;
}

/** Rows some routes create, by key; what their accepted answers say they created. */
interface Creation {
  what: string;
  routes: string[];
  rows: () => Promise<Set<string>>;
  created: (outcome: Outcome) => string[];
}

describe('public API under a seeded fuzz (six services, real PostgreSQL and RabbitMQ)', () => {
  let t: Trading;
  let tenantId: string;
  let shop: GatewayClient;
  let staff: GatewayClient;
  let operator: GatewayClient;
  const fixture = { sku: '', warehouse: '', orders: [] as string[], notes: [] as string[], shipment: '', webhooks: [] as string[] };

  beforeAll(async () => {
    const platform = await createPlatform('Fuzz shop');
    tenantId = platform.tenantId;
    shop = platform.client;
    staff = await createStaffKey(['admin']);
    operator = await createStaffKey(['warehouse']);
    t = new Trading(shop, staff, operator);
    fixture.sku = await t.sku('FUZZ', 4);
    fixture.warehouse = await t.warehouse('WH-FUZZ', 1);
    await t.receive(fixture.warehouse, [{ sku: fixture.sku, quantity: 1_000 }]);
    for (let i = 0; i < 3; i++) fixture.orders.push((await t.place([{ sku: fixture.sku, quantity: 1, unitPrice: 4 }], { paid: true })).id);
    for (const id of fixture.orders) await t.reaches(id, 'released');
    for (const id of fixture.orders) fixture.notes.push((await t.notesOf(id, 1))[0].id);
    fixture.shipment = await t.shipAll(fixture.notes[2]);
    for (let i = 0; i < 2; i++) {
      fixture.webhooks.push((await shop.expect(201, shop.post('/v1/webhooks', { url: `http://127.0.0.1:9/fixture/${i}`, events: ['order.shipped'] }))).id);
    }
  });

  it(`answers ${REQUESTS} mutated requests without a 5xx, refuses with problem+json, and stores nothing it refused`, async () => {
    const order = () => `${randomUUID().slice(0, 8)}`;
    const orderBody = (): Json => ({
      externalId: `FUZZ-${order()}`,
      channel: 'web',
      customer: { id: `C-${order()}`, name: 'Fuzz Buyer', email: 'fuzz@example.test', phone: '+32470000009' },
      lines: [{ sku: fixture.sku, quantity: 1, unitPrice: 4 }],
      currency: 'EUR',
      shippingAddress: { line1: 'Kouter 1', city: 'Ghent', postalCode: '9000', country: 'BE' },
      payment: { method: 'card', status: 'paid', amount: 4 },
      shortagePolicy: { mode: 'reject' },
    });
    const routes: Route[] = [
      { name: 'place order', method: 'POST', path: () => ['v1', 'orders'], client: () => shop, body: orderBody },
      { name: 'list orders', method: 'GET', path: () => ['v1', 'orders'], client: () => shop, query: 'status=released&limit=5' },
      { name: 'get order', method: 'GET', path: () => ['v1', 'orders', fixture.orders[0]], client: () => shop },
      { name: 'modify order', method: 'PATCH', path: () => ['v1', 'orders', fixture.orders[0]], client: () => shop, body: () => ({ shippingAddress: { line1: 'Veldstraat 2', city: 'Ghent', postalCode: '9000', country: 'BE' } }) },
      { name: 'cancel order', method: 'POST', path: () => ['v1', 'orders', fixture.orders[1], 'cancel'], client: () => shop, body: () => ({ reason: 'fuzz' }) },
      { name: 'review order', method: 'POST', path: () => ['v1', 'orders', fixture.orders[0], 'review'], client: () => staff, body: () => ({ decision: 'approve', reason: 'fuzz' }) },
      { name: 'list reviews', method: 'GET', path: () => ['v1', 'reviews'], client: () => staff, query: 'limit=5' },
      { name: 'set credit', method: 'PUT', path: () => ['v1', 'platforms', tenantId, 'customers', `C-${order()}`], client: () => staff, body: () => ({ creditLimit: 100, currency: 'EUR' }) },
      { name: 'get credit', method: 'GET', path: () => ['v1', 'platforms', tenantId, 'customers', 'C-FUZZ'], client: () => staff },
      { name: 'put catalog item', method: 'PUT', path: () => ['v1', 'catalog', `FZ-${order()}`], client: () => staff, body: () => ({ name: 'Fuzz', listPrice: 3, currency: 'EUR', sellable: true, returnable: true }) },
      { name: 'put warehouse', method: 'PUT', path: () => ['v1', 'warehouses', `WFZ-${order()}`], client: () => staff, body: () => ({ priority: 5, name: 'Fuzz' }) },
      { name: 'receive stock', method: 'POST', path: () => ['v1', 'stock', 'receipts'], client: () => staff, body: () => ({ warehouse: fixture.warehouse, lines: [{ sku: fixture.sku, quantity: 1 }], reference: 'fuzz' }) },
      { name: 'get stock', method: 'GET', path: () => ['v1', 'stock', fixture.sku], client: () => staff },
      { name: 'get ledger', method: 'GET', path: () => ['v1', 'stock', fixture.sku, 'ledger'], client: () => staff, query: 'limit=5' },
      { name: 'set threshold', method: 'PUT', path: () => ['v1', 'stock', fixture.sku, 'warehouses', fixture.warehouse, 'low-stock-threshold'], client: () => staff, body: () => ({ threshold: 1 }) },
      { name: 'list notes', method: 'GET', path: () => ['v1', 'outbound-notes'], client: () => operator, query: `orderId=${fixture.orders[0]}` },
      { name: 'get note', method: 'GET', path: () => ['v1', 'outbound-notes', fixture.notes[0]], client: () => operator },
      ...(['confirm', 'pick', 'pack'] as const).map((step): Route => ({ name: `${step} note`, method: 'POST', path: () => ['v1', 'outbound-notes', fixture.notes[1], step], client: () => operator })),
      { name: 'ship note', method: 'POST', path: () => ['v1', 'outbound-notes', fixture.notes[1], 'ship'], client: () => operator, body: () => ({ carrier: 'bpost', trackingNumber: 'TRK-FUZZ' }) },
      { name: 'delivered', method: 'POST', path: () => ['v1', 'shipments', fixture.shipment, 'delivered'], client: () => operator, body: () => ({}) },
      { name: 'list webhooks', method: 'GET', path: () => ['v1', 'webhooks'], client: () => shop },
      { name: 'rotate webhook secret', method: 'POST', path: () => ['v1', 'webhooks', fixture.webhooks[0], 'rotate-secret'], client: () => shop },
      { name: 'delete webhook', method: 'DELETE', path: () => ['v1', 'webhooks', fixture.webhooks[1]], client: () => shop },
      { name: 'subscribe webhook', method: 'POST', path: () => ['v1', 'webhooks'], client: () => shop, body: () => ({ url: `http://127.0.0.1:9/hooks/${order()}`, events: ['order.shipped'] }) },
      { name: 'saga timeline', method: 'GET', path: () => ['v1', 'sagas', fixture.orders[2]], client: () => staff },
      { name: 'list sagas', method: 'GET', path: () => ['v1', 'sagas'], client: () => staff, query: 'state=stuck&since=2026-01-01T00:00:00Z&limit=5' },
    ];
    const creations: Creation[] = [
      {
        what: 'orders',
        routes: ['place order'],
        rows: async () => new Set((await queryService<{ id: string }>('orders', `SELECT id FROM sales_order WHERE tenant_id = $1`, [tenantId])).map((r) => r.id)),
        created: (o) => [JSON.parse(o.answer).id],
      },
      {
        what: 'receipts',
        routes: ['receive stock'],
        rows: async () => new Set((await queryService<{ id: string }>('inventory', `SELECT id FROM stock_receipt`)).map((r) => r.id)),
        created: (o) => [JSON.parse(o.answer).id],
      },
      {
        what: 'catalog items',
        routes: ['put catalog item'],
        rows: async () => new Set((await queryService<{ sku: string }>('inventory', `SELECT sku FROM catalog_item`)).map((r) => r.sku)),
        created: (o) => [JSON.parse(o.answer).sku],
      },
      {
        what: 'warehouses',
        // A receipt into a warehouse inventory does not know yet creates it.
        routes: ['put warehouse', 'receive stock'],
        rows: async () => new Set((await queryService<{ code: string }>('inventory', `SELECT code FROM warehouse`)).map((r) => r.code)),
        created: (o) => [o.route === 'put warehouse' ? JSON.parse(o.answer).code : JSON.parse(o.answer).warehouse],
      },
      {
        what: 'webhook subscriptions',
        routes: ['subscribe webhook'],
        rows: async () => new Set((await queryService<{ id: string }>('gateway', `SELECT id FROM webhook_subscription WHERE tenant_id = $1`, [tenantId])).map((r) => r.id)),
        created: (o) => [JSON.parse(o.answer).id],
      },
    ];
    const before = await Promise.all(creations.map((c) => c.rows()));

    const random = generator(SEED);
    const requests = Array.from({ length: REQUESTS }, () => buildRequest(random.pick(routes), random));
    const outcomes: Outcome[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < requests.length) outcomes.push(await send(requests[next++]));
      }),
    );

    const byStatus = new Map<number, number>();
    for (const o of outcomes) byStatus.set(o.status, (byStatus.get(o.status) ?? 0) + 1);
    process.stdout.write(`fuzz seed ${SEED}: ${outcomes.length} requests, answers ${JSON.stringify(Object.fromEntries([...byStatus].sort(([a], [b]) => a - b)))}\n`);

    const broken = outcomes.map((o) => ({ o, why: violation(o) })).filter((v) => v.why);
    const describe = ({ o, why }: { o: Outcome; why?: string }) => `${why}: ${o.method} ${o.path.slice(0, 120)} (${o.route}, ${o.mutation}) body ${(o.body ?? '').slice(0, 160)}`;
    expect({ seed: SEED, broken: broken.slice(0, 15).map(describe) }).toEqual({ seed: SEED, broken: [] });

    const after = await Promise.all(creations.map((c) => c.rows()));
    const unexplained = creations.flatMap((creation, i) => {
      const accepted = new Set(outcomes.filter((o) => creation.routes.includes(o.route) && o.status < 300).flatMap(creation.created));
      return [...after[i]].filter((key) => !before[i].has(key) && !accepted.has(key)).map((key) => `${creation.what}: ${key}`);
    });
    expect({ seed: SEED, unexplained }).toEqual({ seed: SEED, unexplained: [] });
    // The fuzz got through to the services, not only to the gateway's validation.
    expect([...byStatus.keys()].some((status) => status >= 200 && status < 300)).toBe(true);
  }, 10 * 60_000);
});
