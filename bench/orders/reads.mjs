// The read-latency phase of bench:orders (issue #13, "Scale": GET /v1/orders/{id}, the order list
// with filters and the saga timeline each under 50 ms p99): after the order run's figures are
// taken, each read scenario is sent through the gateway one request at a time (latency, not
// throughput), a few untimed first, then `samples` timed ones; printed as p50 / p99 beside the
// target, never asserted.
//
// Callers: the run's platform key (its live orders), the ops staff key (every platform), and with
// history a key of one history platform (its year of orders), which this phase adds to the
// gateway's database for the phase only (the gateway stores sha256 of a key's secret; a platform
// key is `sk_<id>_<secret>`) and removes again.
import { createHash, randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { fixed, formatTable, summarize } from '../lib/stats.mjs';
import { mulberry32 } from '../lib/random.mjs';

const WARMUP = 5;
/** Customer ids per platform key of the history (as bench/history computes them). */
const HISTORY_CUSTOMERS = 2000;

/** A history id as bench/history's pg_temp.hid computes it: md5, shaped as a v4 uuid. */
export function historyId(text) {
  const h = createHash('md5').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export async function readPhase({ gateway, platform, ops, liveOrders, databases, history, samples, seed, cleanup }) {
  const random = mulberry32(seed + 17);
  const pick = (list) => list[Math.floor(random() * list.length)];
  const scenarios = [];
  const add = (endpoint, caller, what, client, nextPath, onBody) => scenarios.push({ endpoint, caller, what, client, nextPath, onBody });
  const live = liveOrders.length > 0 ? liveOrders : null;

  const orderPath = (id) => `/v1/orders/${id}`;
  const list = (query) => `/v1/orders?${new URLSearchParams({ limit: '20', ...query }).toString()}`;
  /** Follows nextCursor page after page (starting over at the end): paging deep into the list. */
  const pager = (client, query) => {
    let cursor = null;
    return { client, path: () => list(cursor ? { ...query, cursor } : query), onBody: (body) => (cursor = body?.nextCursor ?? null) };
  };

  // --- the live platform -----------------------------------------------------------------
  if (live) {
    add('GET /v1/orders/{id}', 'platform', 'its live orders', platform, () => orderPath(pick(live).id));
    add('GET /v1/orders', 'platform', 'first page, no filter', platform, () => list({}));
    add('GET /v1/orders', 'platform', 'status=shipped', platform, () => list({ status: 'shipped' }));
    add('GET /v1/orders', 'platform', 'customerId=<one of its customers>', platform, () => list({ customerId: pick(live).customerId }));
    const paging = pager(platform, {});
    add('GET /v1/orders', 'platform', 'next pages (cursor), no filter', paging.client, paging.path, paging.onBody);
  }

  // --- one history platform, with a key of its own ----------------------------------------
  let historyN = null;
  if (history) {
    const P = history.platforms;
    const p = 7 % P;
    const tenantId = historyId(`hist-platform-${p}`);
    const key = await addPlatformKey(databases.gateway, tenantId, cleanup);
    const own = gateway.as(key.key);
    const count = Math.floor((history.orders - p) / P);
    historyN = () => 1 + Math.floor(random() * history.orders);
    const ownN = () => p + P * (1 + Math.floor(random() * Math.max(1, count - 1)));
    const customerOf = (n) => `HC-${Math.floor(n / P) % HISTORY_CUSTOMERS}`;
    add('GET /v1/orders/{id}', 'history platform', 'its history orders', own, () => orderPath(historyId(`hist-order-${ownN()}`)));
    add('GET /v1/orders', 'history platform', 'first page, no filter', own, () => list({}));
    add('GET /v1/orders', 'history platform', 'status=cancelled (5 %)', own, () => list({ status: 'cancelled' }));
    add('GET /v1/orders', 'history platform', 'status=on_hold (none)', own, () => list({ status: 'on_hold' }));
    add('GET /v1/orders', 'history platform', 'customerId=<one of its customers>', own, () => list({ customerId: customerOf(ownN()) }));
    add('GET /v1/orders', 'history platform', 'channel=pos&status=delivered', own, () => list({ channel: 'pos', status: 'delivered' }));
    const paging = pager(own, {});
    add('GET /v1/orders', 'history platform', 'next pages (cursor), no filter', paging.client, paging.path, paging.onBody);
    add('GET /v1/orders/{id}', 'ops', 'history orders (any platform)', ops, () => orderPath(historyId(`hist-order-${historyN()}`)));
    add('GET /v1/orders', 'ops', 'first page, no filter', ops, () => list({}));
    add('GET /v1/orders', 'ops', 'status=cancelled', ops, () => list({ status: 'cancelled' }));
    add('GET /v1/orders', 'ops', 'status=on_hold (none)', ops, () => list({ status: 'on_hold' }));
    add('GET /v1/orders', 'ops', 'customerId=HC-… (all platforms)', ops, () => list({ customerId: customerOf(historyN()) }));
    add('GET /v1/orders', 'ops', 'customerId=HC-…&status=delivered', ops, () => list({ customerId: customerOf(historyN()), status: 'delivered' }));
    const opsPaging = pager(ops, { status: 'delivered' });
    add('GET /v1/orders', 'ops', 'next pages (cursor), status=delivered', opsPaging.client, opsPaging.path, opsPaging.onBody);
  }
  if (live) {
    add('GET /v1/orders/{id}', 'ops', 'live orders', ops, () => orderPath(pick(live).id));
    if (!history) {
      add('GET /v1/orders', 'ops', 'first page, no filter', ops, () => list({}));
      add('GET /v1/orders', 'ops', 'status=shipped', ops, () => list({ status: 'shipped' }));
    }
  }
  if (history) add('GET /v1/sagas/{orderId}', 'ops', 'history orders', ops, () => `/v1/sagas/${historyId(`hist-order-${historyN()}`)}`);
  if (live) add('GET /v1/sagas/{orderId}', 'ops', 'live orders', ops, () => `/v1/sagas/${pick(live).id}`);

  console.log(`\nReads: ${scenarios.length} scenarios through the gateway, one request at a time, ${WARMUP} untimed then ${samples} timed each…`);
  const results = [];
  for (const scenario of scenarios) {
    const times = [];
    for (let i = 0; i < WARMUP + samples; i++) {
      const path = scenario.nextPath();
      const started = performance.now();
      const body = await scenario.client.expect(200, 'GET', path);
      const took = performance.now() - started;
      if (i >= WARMUP) times.push(took);
      scenario.onBody?.(body);
    }
    results.push({ endpoint: scenario.endpoint, caller: scenario.caller, what: scenario.what, latency: summarize(times) });
  }
  return { results, history: Boolean(history), liveOrders: liveOrders.length };
}

export function printReads(reads, targetMs) {
  console.log(
    `\nRead latency through the gateway (ms, one request at a time; ${reads.history ? 'with the history loaded' : 'no history: the small run'}; target p99 < ${targetMs} ms)\n`,
  );
  console.log(
    formatTable(
      ['endpoint', 'caller', 'what', 'n', 'p50', 'p99', 'max', `p99 < ${targetMs} ms`],
      reads.results.map((r) => [
        r.endpoint,
        r.caller,
        r.what,
        String(r.latency.count),
        fixed(r.latency.p50, 1),
        fixed(r.latency.p99, 1),
        fixed(r.latency.max, 1),
        r.latency.p99 < targetMs ? 'PASS' : 'MISS',
      ]),
    ),
  );
  const byEndpoint = new Map();
  for (const r of reads.results) byEndpoint.set(r.endpoint, [...(byEndpoint.get(r.endpoint) ?? []), r]);
  const worst = [...byEndpoint].map(([endpoint, rs]) => {
    const w = rs.reduce((a, b) => (b.latency.p99 > a.latency.p99 ? b : a));
    return `${endpoint} ${fixed(w.latency.p99, 1)} ms (${w.caller}, ${w.what})`;
  });
  console.log(`worst p99 per endpoint: ${worst.join('; ')}`);
}

/** A platform API key for an existing (history) platform, straight into the gateway's table; removed at cleanup. */
async function addPlatformKey(gatewayUrl, tenantId, cleanup) {
  const id = randomBytes(12).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  const client = new pg.Client({ connectionString: gatewayUrl });
  await client.connect();
  try {
    await client.query(`INSERT INTO api_key (id, kind, tenant_id, roles, secret_hash) VALUES ($1, 'platform', $2, '{}', $3)`, [
      id,
      tenantId,
      createHash('sha256').update(secret, 'utf8').digest(),
    ]);
  } finally {
    await client.end();
  }
  cleanup.defer(async () => {
    const db = new pg.Client({ connectionString: gatewayUrl });
    await db.connect();
    try {
      await db.query(`DELETE FROM api_key WHERE id = $1`, [id]);
    } finally {
      await db.end();
    }
  }, 'remove the history platform key');
  return { key: `sk_${id}_${secret}` };
}

