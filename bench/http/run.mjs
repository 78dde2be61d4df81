// HTTP benchmark (issue #13): how much Node CPU one request through the gateway costs, at the
// gateway and at the service behind it. The order benchmark says what an order costs in all; this
// isolates the HTTP stack (Nest, Express, logging, tracing context, validation, the forward path)
// from the sagas and the broker.
//
// One run:
//   1. starts the six built services as bench:orders does (scripts/lib/suite.mjs; scratch databases,
//      a vhost of its own, LOG_LEVEL=warn, a rate limit that counts every request and refuses none);
//   2. creates a platform and a staff key, one warehouse, a few SKUs with stock, and places
//      --orders orders (not measured), then waits until each has its outbound note;
//   3. measures, each phase alone, with --concurrency requests in flight:
//        get-order   GET /v1/orders/{id} as the platform           (gateway → orders)
//        get-note    GET /v1/outbound-notes/{id} as the operator   (gateway → warehouse)
//        operator    POST confirm, pick, pack, ship of every note, each with its own
//                    Idempotency-Key, as bench:orders' operator does (gateway → warehouse; the
//                    warehouse's events are then handled by the others, outside this measure)
//      and prints, per phase, the Node CPU per request of the gateway and of the service behind it
//      (utime + stime from /proc, less what the idle process used over as long), with latencies.
//   With --cpu-prof each service writes a V8 CPU profile (bench/orders/cpu-profile.cjs), summarised
//   at the end for the measured phases only (bench/orders/profile-summary.mjs).
//
// Usage: node bench/http/run.mjs [--requests=2000 --concurrency=8 --orders=150 --warmup=200
//          --idle-seconds=3 --phases=get-order,get-note,operator --cpu-prof [--cpu-prof-dir=DIR]]
// Servers: TEST_POSTGRES_URL, RABBITMQ_URL. Take the benchmark lock (flock /tmp/skald-e2e.lock).
// Figures only: it exits 0 unless it breaks. Everything it created is removed in every case.
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { dropDatabase } from '@skald/persistence';
import { createTestVhost } from '@skald/testing';
import { freePort, gatewayUpstreams, SERVICE_NODE_OPTIONS, SERVICES, startSuite, stopSuite } from '../../scripts/lib/suite.mjs';
import { Cleanup } from '../lib/cleanup.mjs';
import { GatewayClient, gatewayCli } from '../lib/gateway.mjs';
import { waitUntilOrdersKnows } from '../lib/replication.mjs';
import { processCpu, TICKS_PER_SECOND } from '../lib/proc.mjs';
import { flag, intSetting, setting } from '../lib/settings.mjs';
import { fixed, formatTable, summarize } from '../lib/stats.mjs';
import { summarizeProfiles } from '../orders/profile-summary.mjs';

const RUN_ID = randomBytes(4).toString('hex');
const CPU_PROFILE_PRELOAD = fileURLToPath(new URL('../orders/cpu-profile.cjs', import.meta.url));
const NAMES = SERVICES.map((s) => s.name);
const PHASES = ['get-order', 'get-note', 'operator'];

const config = {
  requests: intSetting('requests', 2_000),
  concurrency: intSetting('concurrency', 8),
  orders: intSetting('orders', 150),
  warmup: intSetting('warmup', 200, { min: 0 }),
  idleSeconds: intSetting('idle-seconds', 3, { min: 1 }),
  phases: setting('phases', PHASES.join(',')).split(',').filter(Boolean),
  cpuProf: flag('cpu-prof') || setting('cpu-prof-dir', '') !== '',
  cpuProfDir: setting('cpu-prof-dir', path.join(os.tmpdir(), `skald-bench-http-${RUN_ID}`)),
  postgresServer: (process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432').replace(/\/$/, ''),
  rabbitmqUrl: process.env.RABBITMQ_URL ?? process.env.TEST_RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672',
};
for (const phase of config.phases) if (!PHASES.includes(phase)) throw new Error(`--phases: unknown phase ${phase} (${PHASES.join(', ')})`);

/** The service behind the gateway in each phase. */
const BEHIND = { 'get-order': 'orders', 'get-note': 'warehouse', operator: 'warehouse' };
const OPERATOR_STEPS = ['confirm', 'pick', 'pack', 'ship'];
const SKUS = ['HTTP-1', 'HTTP-2', 'HTTP-3'];
const WAREHOUSE = 'HTTP-WH-1';

let interrupted = false;

async function main() {
  process.on('SIGINT', () => {
    interrupted = true;
  });
  const cleanup = new Cleanup();
  try {
    await runBench(cleanup);
  } finally {
    await cleanup.run();
  }
}

async function runBench(cleanup) {
  const vhost = await createTestVhost('bench-http', config.rabbitmqUrl);
  cleanup.defer(() => vhost.remove(), 'remove vhost');
  const ports = Object.fromEntries(await Promise.all(NAMES.map(async (name) => [name, await freePort()])));
  const url = (name) => `http://127.0.0.1:${ports[name]}`;
  const databases = Object.fromEntries(NAMES.map((name) => [name, `${config.postgresServer}/bench_${name}_${RUN_ID}`]));
  cleanup.defer(async () => {
    for (const databaseUrl of Object.values(databases)) await dropDatabase(databaseUrl);
  }, 'drop service databases');
  if (config.cpuProf) fs.mkdirSync(config.cpuProfDir, { recursive: true });
  const webhookSecretKey = randomBytes(32).toString('base64');
  const extra = {
    gateway: { ...gatewayUpstreams(url), WEBHOOK_SECRET_KEY: webhookSecretKey, RATE_LIMIT_PER_SECOND: '1000000', RATE_LIMIT_BURST: '2000000' },
    notifications: { NOTIFY_WAREHOUSE_RECIPIENTS: '*=warehouse@bench.test', NOTIFY_PURCHASING_RECIPIENTS: '*=purchasing@bench.test', WEBHOOK_SECRET_KEY: webhookSecretKey },
  };
  const suite = await startSuite((name) => ({
    PORT: String(ports[name]),
    DATABASE_URL: databases[name],
    RABBITMQ_URL: vhost.url,
    LOG_LEVEL: 'warn',
    SHUTDOWN_TIMEOUT_MS: '10000',
    // Small pools: this measures HTTP, not throughput, and shares the server with others.
    DATABASE_POOL_SIZE: '6',
    MESSAGING_PREFETCH: '4',
    ...(config.cpuProf
      ? {
          NODE_OPTIONS: `${process.env.SKALD_SERVICE_NODE_OPTIONS ?? SERVICE_NODE_OPTIONS} --require ${CPU_PROFILE_PRELOAD}`,
          BENCH_CPU_PROF_DIR: config.cpuProfDir,
          BENCH_CPU_PROF_NAME: `${name}.${RUN_ID}.cpuprofile`,
        }
      : {}),
    ...(extra[name] ?? {}),
  }));
  let stopping = null;
  const stopServices = () => (stopping ??= stopSuite(suite));
  cleanup.defer(stopServices, 'stop services');
  const pids = Object.fromEntries(suite.services.map((s) => [s.name, s.child.pid]));

  console.log(`Skald HTTP benchmark  node ${process.version}, ${os.cpus().length} cores, load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  console.log(
    `parameters  requests=${config.requests} concurrency=${config.concurrency} orders=${config.orders} warmup=${config.warmup}` +
      ` phases=${config.phases.join(',')}${config.cpuProf ? ' cpu-prof' : ''}  run id ${RUN_ID}`,
  );

  // --- keys, catalog, stock, orders, notes (not measured) --------------------------------------
  const platformKey = await gatewayCli(databases.gateway, ['platform', 'create', `HTTP bench ${RUN_ID}`, '--review-threshold', '1000000']);
  const staffKey = await gatewayCli(databases.gateway, ['staff-key', 'create', '--roles', 'inventory,warehouse,ops']);
  const client = new GatewayClient(url('gateway'), config.concurrency + 2);
  cleanup.defer(() => client.close(), 'close HTTP pool');
  const shop = client.as(platformKey.key);
  const staff = client.as(staffKey.key);
  await staff.expect(200, 'PUT', `/v1/warehouses/${WAREHOUSE}`, { priority: 1, name: 'HTTP bench' });
  for (const sku of SKUS) await staff.expect(200, 'PUT', `/v1/catalog/${sku}`, { name: sku, listPrice: 5, currency: 'EUR', sellable: true, returnable: true });
  await staff.expect(201, 'POST', '/v1/stock/receipts', { warehouse: WAREHOUSE, lines: SKUS.map((sku) => ({ sku, quantity: 1_000_000 })) });
  await waitUntilOrdersKnows(databases.orders, SKUS, platformKey.tenantId);
  const orderIds = [];
  await inParallel(config.orders, 4, async (n) => {
    const accepted = await shop.expect(202, 'POST', '/v1/orders', orderBody(n), randomUUID());
    orderIds.push(accepted.id);
  });
  const noteIds = [];
  for (const orderId of orderIds) noteIds.push(...(await notesOf(staff, orderId)));
  console.log(`seeded      ${orderIds.length} orders with ${noteIds.length} outbound notes`);
  await settle(pids);

  // --- phases ------------------------------------------------------------------------------------
  const idle = await idleRates(pids);
  const results = [];
  const windows = {};
  for (const phase of config.phases) {
    if (interrupted) break;
    const all = requestsOf(phase, { orderIds, noteIds });
    // Warm-up (JIT, pools), not counted; the operator's steps are each sent once, all measured.
    const warmup = phase === 'operator' ? 0 : config.warmup;
    const plan = all.slice(warmup);
    if (plan.length === 0) continue;
    await drive(all.slice(0, warmup), shop, staff);
    const startedAt = performance.now();
    const before = cpuOf(pids);
    const latencies = await drive(plan, shop, staff);
    const elapsedMs = performance.now() - startedAt;
    const after = cpuOf(pids);
    const endedAt = performance.now();
    for (const name of NAMES) {
      windows[name] ??= [];
      windows[name].push({ startedAt, endedAt });
    }
    results.push({ phase, count: latencies.length, elapsedMs, latencies: summarize(latencies), cpu: perRequest(before, after, idle, elapsedMs, latencies.length) });
    await settle(pids);
  }
  printResults(results);

  if (config.cpuProf) {
    const profileEnd = performance.now();
    await stopServices();
    // Only the last phase's window is summarised (profile-summary counts one window per service).
    const last = results.at(-1);
    if (last) {
      const window = windows.gateway.at(-1);
      const span = { fromEndMs: profileEnd - window.startedAt, toEndMs: profileEnd - window.endedAt };
      // The profiles end when each process exits, a little after profileEnd: close enough here.
      console.log(`\nCPU profiles (${config.cpuProfDir}), the ${last.phase} phase only:`);
      for (const line of summarizeProfiles(config.cpuProfDir, { top: 12, windows: Object.fromEntries(NAMES.map((n) => [n, span])) })) console.log(line);
    }
  }
}

/** The requests of a phase, in the order sent: [who, method, path, body?, idempotent?]. */
function requestsOf(phase, { orderIds, noteIds }) {
  const cycle = (ids, make) => Array.from({ length: config.requests + config.warmup }, (_, i) => make(ids[i % ids.length]));
  switch (phase) {
    case 'get-order':
      return cycle(orderIds, (id) => ['shop', 'GET', `/v1/orders/${id}`]);
    case 'get-note':
      return cycle(noteIds, (id) => ['staff', 'GET', `/v1/outbound-notes/${id}`]);
    case 'operator':
      // Each note once through its four steps, in order (one note per worker at a time).
      return noteIds.map((id) => OPERATOR_STEPS.map((step) => ['staff', 'POST', `/v1/outbound-notes/${id}/${step}`, step === 'ship' ? { carrier: 'bench-post', trackingNumber: `TRK-${id.slice(0, 8)}` } : {}, true]));
    default:
      return [];
  }
}

/** Sends the plan with `concurrency` in flight; a plan item that is a list is one worker's sequence. Returns each request's latency (ms). */
async function drive(plan, shop, staff) {
  const latencies = [];
  let next = 0;
  const send = async ([who, method, path, body, idempotent]) => {
    const started = performance.now();
    await (who === 'shop' ? shop : staff).expect(200, method, path, body, idempotent ? randomUUID() : undefined);
    latencies.push(performance.now() - started);
  };
  const worker = async () => {
    while (next < plan.length && !interrupted) {
      const item = plan[next++];
      if (Array.isArray(item[0])) for (const request of item) await send(request);
      else await send(item);
    }
  };
  await Promise.all(Array.from({ length: config.concurrency }, worker));
  return latencies;
}

function cpuOf(pids) {
  return Object.fromEntries(
    Object.entries(pids).map(([name, pid]) => {
      const cpu = processCpu(pid);
      return [name, cpu ? cpu.user + cpu.system : Number.NaN];
    }),
  );
}

/** Ticks per millisecond each service uses when nothing is asked of it (relay polls, sweepers, timers). */
async function idleRates(pids) {
  const before = cpuOf(pids);
  const started = performance.now();
  await sleep(config.idleSeconds * 1000);
  const after = cpuOf(pids);
  const ms = performance.now() - started;
  return Object.fromEntries(NAMES.map((name) => [name, (after[name] - before[name]) / ms]));
}

/** Milliseconds of CPU per request, per service, less the idle rate over the phase. */
function perRequest(before, after, idle, elapsedMs, count) {
  return Object.fromEntries(
    NAMES.map((name) => {
      const ticks = Math.max(0, after[name] - before[name] - idle[name] * elapsedMs);
      return [name, ((ticks / TICKS_PER_SECOND) * 1000) / count];
    }),
  );
}

/** Waits until no service used more than a tick in a 300 ms slice (the last phase's messages handled). */
async function settle(pids, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  let previous = cpuOf(pids);
  while (Date.now() < deadline) {
    await sleep(300);
    const now = cpuOf(pids);
    if (NAMES.every((name) => now[name] - previous[name] <= 1)) return;
    previous = now;
  }
}

function printResults(results) {
  console.log('\nNode CPU per request (ms, utime + stime less idle) and latency (ms):');
  const rows = results.map((r) => [
    r.phase,
    String(r.count),
    fixed(r.count / (r.elapsedMs / 1000), 0),
    fixed(r.cpu.gateway, 3),
    `${fixed(r.cpu[BEHIND[r.phase]], 3)} (${BEHIND[r.phase]})`,
    fixed(NAMES.filter((n) => n !== 'gateway' && n !== BEHIND[r.phase]).reduce((sum, n) => sum + r.cpu[n], 0), 3),
    fixed(r.latencies.p50, 2),
    fixed(r.latencies.p99, 2),
  ]);
  console.log(formatTable(['phase', 'requests', 'req/s', 'gateway', 'service behind', 'others', 'p50', 'p99'], rows));
}

/** The outbound notes of an order, once the warehouse has made them. */
async function notesOf(staff, orderId, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { items } = await staff.expect(200, 'GET', `/v1/outbound-notes?orderId=${orderId}`);
    if (items.length > 0) return items.map((note) => note.id);
    if (Date.now() > deadline) throw new Error(`order ${orderId} has no outbound note after ${timeoutMs} ms`);
    await sleep(100);
  }
}

function orderBody(n) {
  const sku = SKUS[n % SKUS.length];
  return {
    externalId: `HTTP-${RUN_ID}-${n}`,
    channel: 'web',
    customer: { id: `C-${n % 50}`, name: `Customer ${n % 50}`, email: `c${n % 50}@bench.test`, phone: '+32470000001' },
    lines: [{ sku, quantity: 1, unitPrice: 5 }],
    currency: 'EUR',
    shippingAddress: { line1: 'Kouter 1', city: 'Ghent', postalCode: '9000', country: 'BE' },
    payment: { method: 'card', status: 'paid', amount: 5 },
  };
}

async function inParallel(count, width, work) {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < count) await work(next++);
  }));
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

await main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(interrupted ? 130 : 1);
  },
);
