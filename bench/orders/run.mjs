// Order benchmark: how many orders per second does the whole Skald suite carry from placement to
// shipment on this machine, how much memory does each service need, and how close does it come to
// the machine's ceiling for the same physical work?
//
// One run:
//   1. starts the six built services as the e2e suite does (scripts/lib/suite.mjs): free ports, a
//      scratch database each (bench_<service>_<run id>), a RabbitMQ vhost of the run's own, the
//      gateway wired to the others, notifications with no SMTP or SMS (deliveries are planned and
//      wait, as ADR 6 describes), LOG_LEVEL=warn, and a per-key rate limit far above what one key
//      sends here (RATE_LIMIT_PER_SECOND=1000000: counted on every request, never refused; ADR 13);
//   2. creates a platform and a staff key with the gateway CLI, seeds SKUs, two warehouses and
//      plenty of stock through the gateway, waits until the orders service's replicas know them,
//      and measures what the idle suite costs for a few seconds;
//   3. places N orders through POST /v1/orders, C at a time: each placer waits until its order is
//      `shipped` before placing the next — a closed loop over the whole span a customer waits for,
//      so latencies are those of C orders in flight, not of a backlog (--flood places without
//      waiting instead).
//      A scripted warehouse operator confirms, picks, packs and ships every outbound note through
//      the gateway as soon as the broker says it exists. Order transitions are timestamped from the
//      broker (orders.order.status-changed.v1 on a probe queue), never by polling the API; the
//      probe sees every event and command, so it also learns from their causation ids how many
//      hops one after another make up an order's critical path;
//   4. prints throughput, latencies, the time until everything shipped, memory per service, and
//      what one order cost: database transactions, broker messages, CPU and system calls per process;
//   4b. a read-latency phase (reads.mjs): GET /v1/orders/{id}, the order list with filters and
//      paging, and the saga timeline through the gateway, one request at a time, as the platform,
//      the ops key and (with history) one history platform; p50/p99 beside the 50 ms target;
//   5. stops the suite and runs the ceiling (ceiling.mjs): bare pg + amqplib doing per order the
//      same number of commits and broker hops, at the same concurrency; prints the ratio — the fair
//      one (see "The fair comparison" below) and, once, the old one beside it.
//
// The fair comparison: both sides cover the same span (placed → shipped, the operator's steps
// included); the ceiling's order is as parallel as the platform's (its critical path, measured from
// causation ids, one hop after another; the other publishes and a fanned-out event's copies beside
// it; the notes of a split order worked side by side); and the work per order the ceiling copies
// is counted over the measured window only (no idle polling, warm-up, drain or shutdown).
// The old comparison divided orders reaching `released` by a ceiling doing every commit and hop of
// the whole run (idle polls and shutdown included) one after another: it lowered the ceiling.
//
// Usage: npm run bench:orders [-- --orders=1000 --concurrency=16 --warmup=50 --operators=16
//          --skus=40 --seed=1 --idle-seconds=3 --stall-ms=60000 --ceiling-orders=500 --flood
//          --no-ceiling --cpu-prof [--cpu-prof-dir=/tmp/…] --count-queries --read-samples=150
//          --history=1000000 [--history-skus=… --history-platforms=300] --keep-history --baseline-throughput=<orders/s>]
// Scale (issue #13): --history=N loads a year of N orders and min(N, 1,000,000) SKUs into every
// database before the suite starts (bench/history: INSERT … SELECT generate_series, a few minutes
// for 1M); --keep-history keeps them (bench_<service>_history_<N>) and later runs reuse them, after
// running pending migrations (drop them with npm run bench:history -- --history=N --drop). One run
// measures either the small or the scaled platform: --baseline-throughput=<a small run's sustained
// orders/s> prints the ratio (target ≥ 0.9).
// (`--name value` works too, as does BENCH_ORDERS=…). Servers: TEST_POSTGRES_URL, RABBITMQ_URL.
// The services inherit this process's environment, so e.g. MESSAGING_PREFETCH=32 with
// DATABASE_POOL_SIZE=40 (the prefetch may not exceed the pool) tries a setting. Without them each
// service's pool is what PostgreSQL's max_connections leaves free, split six ways (at most the
// services' default of 20), and the prefetch 2 below it (at most 16). SKALD_SERVICE_NODE_OPTIONS, MALLOC_ARENA_MAX and
// SKALD_SERVICE_V8_FLAGS (space-separated; empty for none) replace the image's memory settings for a try
// (scripts/lib/suite.mjs; the report says when they differ). It prints figures and exits 0 even when a target is missed;
// 1 only when it breaks (130 on Ctrl-C). Everything it created is removed in every case (but a kept history).
import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { dropDatabase } from '@skald/persistence';
import { createTestVhost } from '@skald/testing';
import amqplib from 'amqplib';
import pg from 'pg';
import {
  freePort,
  gatewayUpstreams,
  SERVICE_MALLOC_ARENA_MAX,
  SERVICE_NODE_OPTIONS,
  SERVICE_V8_FLAGS,
  serviceV8Flags,
  SERVICES,
  startSuite,
  stopSuite,
} from '../../scripts/lib/suite.mjs';
import { Cleanup } from '../lib/cleanup.mjs';
import { GatewayClient, gatewayCli } from '../lib/gateway.mjs';
import { waitUntilOrdersKnows } from '../lib/replication.mjs';
import { cpuSnapshot, cpuUsage } from '../lib/cpu.mjs';
import { peakRssBytes, rssBytes, sampleProcesses, usageBetween } from '../lib/proc.mjs';
import { scrape, sumBy, sumOf } from '../lib/prometheus.mjs';
import { flag, intSetting, setting } from '../lib/settings.mjs';
import { fixed, formatTable, summarize } from '../lib/stats.mjs';
import { historyDatabaseName, prepareHistory } from '../history/history.mjs';
import { runCeiling } from './ceiling.mjs';
import { printReads, readPhase } from './reads.mjs';
import { summarizeProfiles } from './profile-summary.mjs';
import { mulberry32 } from '../lib/random.mjs';

const run = promisify(execFile);
const RUN_ID = randomBytes(4).toString('hex');
const CPU_PROFILE_PRELOAD = fileURLToPath(new URL('./cpu-profile.cjs', import.meta.url));
const QUERY_COUNT_PRELOAD = fileURLToPath(new URL('./query-count.cjs', import.meta.url));

const orderCount = intSetting('orders', 1_000);
const concurrency = intSetting('concurrency', 16);
const config = {
  orders: orderCount,
  concurrency,
  warmup: intSetting('warmup', 50, { min: 0 }),
  operators: intSetting('operators', concurrency),
  skus: intSetting('skus', 40),
  seed: intSetting('seed', 1, { min: 0 }),
  idleSeconds: intSetting('idle-seconds', 3, { min: 0 }),
  /** No event, response or completion for this long fails the run instead of hanging it. */
  stallMs: intSetting('stall-ms', 60_000),
  // The ceiling is steady after a few hundred orders; more only lengthens the run.
  ceilingOrders: intSetting('ceiling-orders', Math.min(orderCount, 500)),
  flood: flag('flood'),
  ceiling: !flag('no-ceiling'),
  cpuProf: flag('cpu-prof') || setting('cpu-prof-dir', '') !== '',
  cpuProfDir: setting('cpu-prof-dir', path.join(os.tmpdir(), `skald-bench-orders-${RUN_ID}`)),
  countQueries: flag('count-queries'),
  queryCountDir: path.join(os.tmpdir(), `skald-bench-orders-queries-${RUN_ID}`),
  postgresServer: (process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432').replace(/\/$/, ''),
  rabbitmqUrl: process.env.RABBITMQ_URL ?? process.env.TEST_RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672',
  // Set from the server's max_connections when the environment does not say (connectionBudget).
  poolSize: process.env.DATABASE_POOL_SIZE ? Number(process.env.DATABASE_POOL_SIZE) : undefined,
  prefetch: process.env.MESSAGING_PREFETCH ? Number(process.env.MESSAGING_PREFETCH) : undefined,
  // Scale (issue #13): order history loaded into every database before the suite starts.
  history: intSetting('history', 0, { min: 0 }),
  historySkus: 0,
  historyPlatforms: intSetting('history-platforms', 300),
  keepHistory: flag('keep-history'),
  /** Requests per read scenario of the read-latency phase (0: no read phase). */
  readSamples: intSetting('read-samples', 150, { min: 0 }),
  /** The sustained orders/s of a run without history, to compare this run's with (printed, never asserted). */
  baselineThroughput: Number(setting('baseline-throughput', 'NaN')),
};
config.historySkus = intSetting('history-skus', Math.min(config.history, 1_000_000), { min: 0 });
if (config.keepHistory && config.history === 0) throw new Error('--keep-history needs --history=<orders>');
if (config.warmup >= config.orders) throw new Error('--warmup must be below --orders');
if (config.ceiling && config.warmup >= config.ceilingOrders) throw new Error('--warmup must be below --ceiling-orders');

const TARGETS = { peakRssMb: 150, ceilingRatio: 0.5, readP99Ms: 50, scaleThroughputRatio: 0.9 };
/** Percent of a core used by unrelated processes above which the results carry a warning. */
const OTHER_CPU_WARNING = 20;
/** Stock per SKU and warehouse: far more than any run takes, so no order is ever short. */
const STOCK_PER_LEVEL = 1_000_000;
const WAREHOUSES = [
  { code: 'BENCH-WH-1', priority: 1, name: 'Bench North' },
  { code: 'BENCH-WH-2', priority: 2, name: 'Bench South' },
];
const STATUS_CHANGED = 'orders.order.status-changed.v1';
const NOTES_CREATED = 'warehouse.outbound-notes.created.v1';
/** Statuses that end an order early: with plenty of stock and no review threshold, a bug. */
const FAILED_STATUSES = new Set(['on_hold', 'rejected', 'cancelled']);
/** What the warehouse operator does with each outbound note, one request after another. */
const OPERATOR_STEPS = ['confirm', 'pick', 'pack', 'ship'];
const NAMES = SERVICES.map((s) => s.name);
const MB = 1024 * 1024;
const TOP_TABLES = 16;

let interrupted = false;
/** Failing anywhere (operator, probe, watchdog, a service exiting, a signal) ends every wait at once. */
let failRun = () => undefined;

/** What the services logged (LOG_LEVEL=warn): shown in the report, and after a failure. */
const serviceOutput = [];

async function main() {
  const onSignal = (signal) => {
    if (interrupted) return console.error(`${signal}: still cleaning up…`);
    interrupted = true;
    console.error(`\n${signal}: stopping, cleaning up…`);
    failRun(new Error('interrupted'));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  await printEnvironment();
  const cleanup = new Cleanup();
  try {
    const platform = analysePlatform(await runPlatform(cleanup));
    printPlatform(platform);
    if (platform.reads) printReads(platform.reads, TARGETS.readP99Ms);
    printScale(platform);
    let ceiling = null;
    if (config.ceiling) {
      const runOne = async (name, plan, description) => {
        console.log(
          `\nCeiling (${name}): bare pg + amqplib, ${config.ceilingOrders} orders, ${config.concurrency} in flight, each ${fixed(plan.writes, 1)} write commits,` +
            ` ${fixed(plan.reads, 1)} read-only transactions, ${fixed(plan.published, 1)} publishes and ${fixed(plan.delivered, 1)} quorum-queue deliveries` +
            ` (${platform.messageBytes}-byte messages), ${description}…`,
        );
        return runCeiling(
          {
            name,
            rabbitmqUrl: platform.vhostUrl,
            orders: config.ceilingOrders,
            concurrency: config.concurrency,
            warmup: config.warmup,
            perOrder: plan,
            prefetch: config.prefetch,
            messageBytes: platform.messageBytes,
            stallMs: config.stallMs,
            interrupted: () => interrupted,
          },
          cleanup,
        );
      };
      const plan = platform.ceilingPlan;
      const old = await runOne('old', platform.oldCeilingPlan, 'counted over the whole run, every hop one after another');
      ceiling = await runOne(
        'fair',
        plan,
        `counted over the measured window; ${fixed(plan.chain, 1)} hops one after another (the operator after hop ${fixed(plan.operatorAfter, 1)},` +
          ` ${fixed(plan.notes, 2)} notes side by side, ${plan.operatorSteps} steps each), the rest beside them`,
      );
      printComparison(platform, old, ceiling);
    }
    printTargets(platform, ceiling);
    if (config.cpuProf) printProfiles(platform.profileWindows);
  } finally {
    await cleanup.run();
  }
}

// ---------------------------------------------------------------------------------------------
// The platform run

async function runPlatform(cleanup) {
  let failure;
  const failed = new Promise((_, reject) => {
    failRun = (error) => {
      if (failure) return;
      failure = error;
      reject(error);
    };
  });
  failed.catch(() => undefined);
  const orFail = (promise) => Promise.race([promise, failed]);

  // --- 1. the suite --------------------------------------------------------------------------
  const setupStarted = performance.now();
  const vhost = await createTestVhost('bench-orders', config.rabbitmqUrl);
  cleanup.defer(() => vhost.remove(), 'remove vhost');
  const ports = Object.fromEntries(await Promise.all(NAMES.map(async (name) => [name, await freePort()])));
  const url = (name) => `http://127.0.0.1:${ports[name]}`;
  const names = { keep: config.keepHistory, orders: config.history, runId: RUN_ID };
  const databases = Object.fromEntries(NAMES.map((name) => [name, `${config.postgresServer}/${historyDatabaseName(name, names)}`]));
  // Registered before the services create them: a start that fails halfway leaves nothing behind
  // (a kept history stays: bench:history -- --history=N --drop removes it).
  if (!config.keepHistory) {
    cleanup.defer(async () => {
      for (const databaseUrl of Object.values(databases)) await dropDatabase(databaseUrl);
    }, 'drop service databases');
  }
  let history = null;
  if (config.history > 0) {
    history = await prepareHistory({
      server: config.postgresServer,
      services: NAMES,
      orders: config.history,
      skus: config.historySkus,
      platforms: config.historyPlatforms,
      keep: config.keepHistory,
      runId: RUN_ID,
    });
  }
  if (config.cpuProf) fs.mkdirSync(config.cpuProfDir, { recursive: true });
  if (config.countQueries) cleanup.defer(() => fs.rmSync(config.queryCountDir, { recursive: true, force: true }), 'remove query counts');
  // Diagnostics preloaded into the services (bench-only code; the services are not changed).
  const preloads = [...(config.cpuProf ? [CPU_PROFILE_PRELOAD] : []), ...(config.countQueries ? [QUERY_COUNT_PRELOAD] : [])];
  // The key gateway and notifications seal webhook secrets with: this run's own.
  const webhookSecretKey = randomBytes(32).toString('base64');
  const extra = {
    gateway: {
      ...gatewayUpstreams(url),
      WEBHOOK_SECRET_KEY: webhookSecretKey,
      // One platform key places every order and one staff key plays every operator: the default
      // limit (100/s per key) would measure the limit, not the suite. Each request is still counted
      // (the limiter's statement runs), only never refused — unless the environment says otherwise.
      RATE_LIMIT_PER_SECOND: process.env.RATE_LIMIT_PER_SECOND ?? '1000000',
      RATE_LIMIT_BURST: process.env.RATE_LIMIT_BURST ?? '2000000',
    },
    // No SMTP_URL, no SMS_PROVIDER_URL: deliveries are planned in the handlers' transactions and
    // wait as pending (ADR 6), so notifications does its database work and sends nothing.
    notifications: {
      NOTIFY_WAREHOUSE_RECIPIENTS: '*=warehouse@bench.test',
      NOTIFY_PURCHASING_RECIPIENTS: '*=purchasing@bench.test',
      WEBHOOK_SECRET_KEY: webhookSecretKey,
    },
  };
  const suite = await startSuite(
    (name) => ({
      PORT: String(ports[name]),
      DATABASE_URL: databases[name],
      RABBITMQ_URL: vhost.url,
      LOG_LEVEL: 'warn',
      SHUTDOWN_TIMEOUT_MS: '10000',
      DATABASE_POOL_SIZE: String(config.poolSize),
      MESSAGING_PREFETCH: String(config.prefetch),
      // Node 20 refuses --cpu-prof in NODE_OPTIONS: a preloaded inspector profiler does the same.
      // Added to the services' own heap settings (their RSS under a profile is still comparable).
      ...(preloads.length
        ? { NODE_OPTIONS: [process.env.SKALD_SERVICE_NODE_OPTIONS ?? SERVICE_NODE_OPTIONS, ...preloads.map((file) => `--require ${file}`)].join(' ').trim() }
        : {}),
      ...(config.cpuProf ? { BENCH_CPU_PROF_DIR: config.cpuProfDir, BENCH_CPU_PROF_NAME: `${name}.${RUN_ID}.cpuprofile` } : {}),
      ...(config.countQueries ? { BENCH_QUERY_COUNT_DIR: config.queryCountDir, BENCH_SERVICE_NAME: name } : {}),
      ...(extra[name] ?? {}),
    }),
    // At LOG_LEVEL=warn whatever a service logs is worth knowing: kept and shown in the report.
    { onLine: (line) => serviceOutput.push(line) },
  );
  let stopping = null;
  const stopServices = () => (stopping ??= stopSuite(suite));
  cleanup.defer(stopServices, 'stop services');
  const pids = Object.fromEntries(suite.services.map((s) => [s.name, s.child.pid]));
  const exitedAt = {};
  for (const service of suite.services) {
    service.exited.then(({ code, signal }) => {
      exitedAt[service.name] = performance.now();
      if (!stopping) failRun(new Error(`${service.name} exited (${code ?? signal}) during the run:\n${service.output.slice(-20).join('\n')}`));
    });
  }
  const rssAtStart = Object.fromEntries(NAMES.map((name) => [name, rssBytes(pids[name])]));
  // The peak so far: start-up (migrations, building the OpenAPI document, …) may exceed what stays.
  const peakAtStart = Object.fromEntries(NAMES.map((name) => [name, peakRssBytes(pids[name])]));
  console.log(
    `suite       six services ready in ${fixed((performance.now() - setupStarted) / 1000, 1)} s` +
      ` (vhost ${decodeURIComponent(new URL(vhost.url).pathname.slice(1)) || '/'}, databases ${historyDatabaseName('<service>', names)})`,
  );

  // --- 2. keys, catalog, warehouses, stock -----------------------------------------------------
  const platformKey = await gatewayCli(databases.gateway, ['platform', 'create', `Bench ${RUN_ID}`, '--review-threshold', '1000000']);
  const staffKey = await gatewayCli(databases.gateway, ['staff-key', 'create', '--roles', 'inventory,warehouse,ops']);
  const gateway = new GatewayClient(url('gateway'), config.concurrency + config.operators + 4);
  cleanup.defer(() => gateway.close(), 'close HTTP pool');
  const shop = gateway.as(platformKey.key);
  const staff = gateway.as(staffKey.key);

  const catalog = buildCatalog(config.skus);
  for (const warehouse of WAREHOUSES) {
    await staff.expect(200, 'PUT', `/v1/warehouses/${warehouse.code}`, { priority: warehouse.priority, name: warehouse.name });
  }
  await inBatches(catalog, 8, (item) =>
    staff.expect(200, 'PUT', `/v1/catalog/${item.sku}`, { name: item.name, listPrice: item.price, currency: 'EUR', sellable: true, returnable: true }),
  );
  // Group A in both warehouses (the first, by priority, serves them), group B only in the second:
  // an order mixing both is split over the two warehouses, hence two outbound notes.
  await staff.expect(201, 'POST', '/v1/stock/receipts', {
    warehouse: WAREHOUSES[0].code,
    lines: catalog.filter((i) => i.group === 'A').map((i) => ({ sku: i.sku, quantity: STOCK_PER_LEVEL })),
  });
  await staff.expect(201, 'POST', '/v1/stock/receipts', {
    warehouse: WAREHOUSES[1].code,
    lines: catalog.map((i) => ({ sku: i.sku, quantity: STOCK_PER_LEVEL })),
  });
  await waitUntilOrdersKnows(databases.orders, catalog.map((i) => i.sku), platformKey.tenantId);
  console.log(`seeded      ${catalog.length} SKUs (${catalog.filter((i) => i.group === 'B').length} only in the second warehouse), 2 warehouses, a platform and a staff key`);

  // --- 3. the probe: order transitions and new outbound notes, from the broker ---------------
  const orders = new Map();
  const entry = (id) => {
    let order = orders.get(id);
    if (!order) {
      order = { id, at: {}, depth: {}, notes: 0 };
      order.released = new Promise((resolve, reject) => Object.assign(order, { resolveReleased: resolve, rejectReleased: reject }));
      order.released.catch(() => undefined);
      order.shipped = new Promise((resolve, reject) => Object.assign(order, { resolveShipped: resolve, rejectShipped: reject }));
      order.shipped.catch(() => undefined);
      orders.set(id, order);
    }
    return order;
  };
  const noteQueue = new WorkQueue();
  const seenNotes = new Set();
  const messageSizes = [];
  let lastProgress = performance.now();
  let shipped = 0;
  let released = 0;
  let resolveAllShipped;
  const allShipped = new Promise((resolve) => (resolveAllShipped = resolve));
  // The measured window's ends (see analysePlatform), snapshot as they happen, so that what an
  // order costs is counted over the window only. Set below, once the stats connection exists.
  let windowFrom = null;
  let windowTo = null;
  // Hops one after another up to each message: 1 for a message an HTTP request sent, its cause's
  // depth + 1 for one a handler sent. The probe queue gets a cause before its effects (the cause
  // was routed before any consumer could take it), so the cause's depth is known by then.
  const depths = new Map();
  const onMessage = (message) => {
    const at = performance.now();
    lastProgress = at;
    if (messageSizes.length < 10_000) messageSizes.push(message.content.length);
    const envelope = JSON.parse(message.content.toString('utf8'));
    const depth = (depths.get(envelope.causationId) ?? 0) + 1;
    depths.set(envelope.id, depth);
    if (message.fields.routingKey === NOTES_CREATED) {
      const order = entry(envelope.payload.orderId);
      order.at.notesCreated ??= at;
      order.depth.notesCreated ??= depth;
      for (const note of envelope.payload.notes) {
        // At least once: a re-published event must not make the operator work a note twice.
        if (seenNotes.has(note.noteId)) continue;
        seenNotes.add(note.noteId);
        order.notes += 1;
        noteQueue.push({ noteId: note.noteId, orderId: order.id });
      }
      return;
    }
    if (message.fields.routingKey !== STATUS_CHANGED) return;
    const { orderId, status, reason } = envelope.payload;
    const order = entry(orderId);
    if (order.at[status] !== undefined) return; // a duplicate
    order.at[status] = at;
    if (status === 'released') {
      released += 1;
      order.resolveReleased();
    } else if (status === 'shipped') {
      shipped += 1;
      order.depth.shipped = depth;
      order.resolveShipped();
      if (shipped === config.warmup) windowFrom = snapshot(statsClient, suite, pids, ourDatabases);
      if (shipped === config.orders) resolveAllShipped(at);
    } else if (FAILED_STATUSES.has(status)) {
      order.rejectReleased(new Error(`order ${orderId} went ${status}: ${reason}`));
      order.rejectShipped(new Error(`order ${orderId} went ${status}: ${reason}`));
      failRun(new Error(`order ${orderId} went ${status} (${reason}); the figures would be wrong`));
    }
  };
  const probe = await amqplib.connect(vhost.url, { noDelay: true, clientProperties: { connection_name: `bench-orders-${RUN_ID}-probe` } });
  probe.on('error', (error) => failRun(new Error(`probe connection: ${error.message}`)));
  cleanup.defer(() => probe.close().catch(() => undefined), 'close probe');
  const probeChannel = await probe.createChannel();
  // A server-named, exclusive queue: it goes with the connection. noAck: nothing to redeliver.
  const { queue: probeQueue } = await probeChannel.assertQueue('', { exclusive: true, autoDelete: true });
  // Every event and command: the status changes and notes for the timings, all for the depths.
  await probeChannel.bindQueue(probeQueue, 'skald.events', '#');
  await probeChannel.bindQueue(probeQueue, 'skald.commands', '#');
  await probeChannel.consume(probeQueue, (message) => message && onMessage(message), { noAck: true });

  const statsClient = new pg.Client({ connectionString: `${config.postgresServer}/postgres`, application_name: `bench-orders-${RUN_ID}-stats` });
  await statsClient.connect();
  cleanup.defer(() => statsClient.end(), 'close stats connection');
  const ourDatabases = Object.values(databases).map(databaseName);

  // --- what the idle suite costs: relay and dispatcher safety polls, schedulers, … ------------
  let idle = null;
  if (config.idleSeconds > 0) {
    const from = await processSnapshot(statsClient, pids, ourDatabases);
    await sleep(config.idleSeconds * 1000);
    idle = { from, to: await processSnapshot(statsClient, pids, ourDatabases) };
  }

  // --- the measured run -----------------------------------------------------------------------
  const tablesBefore = await tableStats(databases);
  const queriesBefore = config.countQueries ? await dumpQueryCounts(suite, 0) : null;
  const before = await snapshot(statsClient, suite, pids, ourDatabases);
  const random = mulberry32(config.seed);
  const bodies = Array.from({ length: config.orders }, (_, n) => orderBody(n, catalog, random));
  const httpTimes = { place: [], operator: [] };
  let next = 0;
  let lastPlacedAt = 0;
  const watchdog = setInterval(() => {
    if (performance.now() - lastProgress > config.stallMs) {
      failRun(
        new Error(
          `no progress for ${config.stallMs} ms: ${next} placed, ${released} released, ${shipped} shipped, ${noteQueue.length} notes` +
            ` waiting for the operator. Last service output:\n${serviceOutput.slice(-20).join('\n')}`,
        ),
      );
    }
  }, 1_000);
  const placer = async () => {
    while (next < config.orders && !failure) {
      const n = next++;
      const placedAt = performance.now();
      // The window ends with the last placement: until then every placer is busy.
      if (next === config.orders && !config.flood) windowTo = snapshot(statsClient, suite, pids, ourDatabases);
      const accepted = await shop.expect(202, 'POST', '/v1/orders', bodies[n], randomUUID());
      const at = performance.now();
      lastProgress = at;
      lastPlacedAt = placedAt;
      httpTimes.place.push(at - placedAt);
      const order = entry(accepted.id);
      Object.assign(order, { n, placedAt, acceptedAt: at });
      // The whole span a customer waits for (the old loop waited for `released` only).
      if (!config.flood) await order.shipped;
    }
  };
  // The warehouse operator: one note at a time each, every step through the gateway with its own
  // Idempotency-Key, as a careful client sends (and as the e2e GatewayClient does).
  const operator = async () => {
    for (let note = await noteQueue.take(); note && !failure; note = await noteQueue.take()) {
      const order = entry(note.orderId);
      order.takenAt ??= performance.now();
      for (const step of OPERATOR_STEPS) {
        const body = step === 'ship' ? { carrier: 'bench-post', trackingNumber: `TRK-${note.noteId.slice(0, 8)}` } : {};
        const started = performance.now();
        await staff.expect(200, 'POST', `/v1/outbound-notes/${note.noteId}/${step}`, body, randomUUID());
        lastProgress = performance.now();
        httpTimes.operator.push(lastProgress - started);
      }
    }
  };
  failed.catch(() => noteQueue.close());
  allShipped.then(() => noteQueue.close());

  console.log(
    `\nPlatform: ${config.orders} orders through the gateway, ${config.concurrency} at a time` +
      `${config.flood ? ' (flood: placers do not wait)' : ' (a placer waits until its order is shipped)'},` +
      ` ${config.operators} operators shipping every outbound note…`,
  );
  const progress = setInterval(() => process.stderr.write(`  … ${next} placed, ${released} released, ${shipped} shipped\n`), 15_000);
  const runStarted = performance.now();
  if (config.warmup === 0) windowFrom = before;
  let allShippedAt;
  let lastReleasedAt;
  try {
    // Every failure goes to failRun, which ends the waits below: no rejection is left unhandled
    // when a request fails later (the services stopping under a run that already failed).
    const operators = Array.from({ length: config.operators }, () => operator().catch(failRun));
    await orFail(Promise.all(Array.from({ length: config.concurrency }, () => placer().catch(failRun))));
    await orFail(Promise.all([...orders.values()].map((o) => o.released)));
    lastReleasedAt = Math.max(...[...orders.values()].map((o) => o.at.released));
    allShippedAt = await orFail(allShipped);
    if (config.flood) windowTo = snapshot(statsClient, suite, pids, ourDatabases);
    await orFail(Promise.all(operators));
    windowFrom = await orFail(windowFrom);
    windowTo = await orFail(windowTo);
    await orFail(quiesce(suite, ourDatabases, vhost));
  } finally {
    clearInterval(watchdog);
    clearInterval(progress);
  }
  const after = await snapshot(statsClient, suite, pids, ourDatabases);
  const queriesAfter = config.countQueries ? await dumpQueryCounts(suite, 1) : null;
  const rssAtEnd = Object.fromEntries(NAMES.map((name) => [name, rssBytes(pids[name])]));
  const peakRss = Object.fromEntries(NAMES.map((name) => [name, peakRssBytes(pids[name])]));
  // After every figure of the order run was taken: the reads neither cost nor slow the orders.
  const reads =
    config.readSamples > 0
      ? await orFail(
          readPhase({
            gateway,
            platform: shop,
            ops: staff,
            liveOrders: [...orders.values()].filter((o) => o.placedAt !== undefined).map((o) => ({ id: o.id, n: o.n, customerId: bodies[o.n].customer.id })),
            databases,
            history: history && { orders: config.history, platforms: config.historyPlatforms },
            samples: config.readSamples,
            seed: config.seed,
            cleanup,
          }),
        )
      : null;
  const exits = await stopServices();
  await waitForBackendsGone(statsClient, ourDatabases);
  // Backends flush their statistics when they exit: only now are the counters complete.
  const finalStats = await databaseStats(statsClient);
  const finalXid = await nextXid(statsClient);
  const tablesAfter = await tableStats(databases);
  await probe.close().catch(() => undefined);
  // For --cpu-prof: the measured run, as a window before each profile's end (the process exit).
  const profileWindows = Object.fromEntries(
    NAMES.map((name) => [name, { fromEndMs: (exitedAt[name] ?? performance.now()) - before.at, toEndMs: (exitedAt[name] ?? performance.now()) - after.at }]),
  );

  return {
    history,
    reads,
    orders,
    before,
    after,
    window: { from: windowFrom, to: windowTo },
    idle,
    finalStats,
    finalXid,
    tables: { before: tablesBefore, after: tablesAfter },
    queries: queriesAfter && { before: queriesBefore, after: queriesAfter },
    runStarted,
    lastPlacedAt,
    lastReleasedAt,
    allShippedAt,
    httpTimes,
    rss: { start: rssAtStart, startPeak: peakAtStart, end: rssAtEnd, peak: peakRss },
    exits,
    logged: serviceOutput,
    databases,
    pids,
    messageSizes,
    notes: seenNotes.size,
    vhostUrl: vhost.url,
    profileWindows,
  };
}

/** CPU and system calls of the services and of their databases' backends, and of the machine. */
async function processSnapshot(client, pids, ourDatabases) {
  const backends = await backendPids(client, ourDatabases);
  return {
    at: performance.now(),
    backends,
    backendSamples: sampleProcesses([...backends.keys()]),
    serviceSamples: sampleProcesses(Object.values(pids)),
    benchSamples: sampleProcesses([process.pid]),
    cpu: cpuSnapshot(),
  };
}

/** Everything the run's cost is the difference of: metrics, database statistics, processes. */
async function snapshot(client, suite, pids, ourDatabases) {
  const metrics = Object.fromEntries(await Promise.all(suite.services.map(async (s) => [s.name, await scrape(s.url)])));
  const stats = await databaseStats(client);
  const xid = await nextXid(client);
  return { ...(await processSnapshot(client, pids, ourDatabases)), metrics, stats, xid };
}

/** Asks each service (SIGUSR2, see query-count.cjs) for its statement counts: service → Map(text → n). */
async function dumpQueryCounts(suite, seq) {
  const counts = {};
  for (const service of suite.services) {
    const file = path.join(config.queryCountDir, `${service.name}.${seq}.json`);
    service.child.kill('SIGUSR2');
    const deadline = Date.now() + 10_000;
    while (!fs.existsSync(file)) {
      if (Date.now() > deadline) throw new Error(`${service.name} wrote no query counts (${file})`);
      await sleep(20);
    }
    counts[service.name] = new Map(JSON.parse(fs.readFileSync(file, 'utf8')));
  }
  return counts;
}

/** pg_stat_user_tables of each service database: rows written and scans, per table. */
async function tableStats(databases) {
  const tables = new Map();
  for (const [service, url] of Object.entries(databases)) {
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    try {
      const { rows } = await db.query(
        `SELECT relname, n_tup_ins::bigint AS ins, n_tup_upd::bigint AS upd, n_tup_del::bigint AS del,
                coalesce(seq_scan, 0)::bigint AS seq, coalesce(idx_scan, 0)::bigint AS idx, n_live_tup::bigint AS live
           FROM pg_stat_user_tables`,
      );
      for (const row of rows) {
        tables.set(`${service}.${row.relname}`, { ins: +row.ins, upd: +row.upd, del: +row.del, seq: +row.seq, idx: +row.idx, live: +row.live });
      }
    } finally {
      await db.end();
    }
  }
  return tables;
}

/** pg_stat_database, per database name (null: shared catalogs). */
async function databaseStats(client) {
  const { rows } = await client.query(
    `SELECT datname, xact_commit::bigint AS commits, xact_rollback::bigint AS rollbacks, tup_inserted::bigint AS inserted,
            tup_updated::bigint AS updated, tup_deleted::bigint AS deleted
       FROM pg_stat_database`,
  );
  return new Map(rows.map((row) => [row.datname, { commits: +row.commits, rollbacks: +row.rollbacks, inserted: +row.inserted, updated: +row.updated, deleted: +row.deleted }]));
}

/**
 * The next transaction id the server will assign. Only writing transactions get one, so its delta
 * counts write transactions — server-wide, hence trusted only when nothing else ran meanwhile.
 */
async function nextXid(client) {
  const { rows } = await client.query(`SELECT pg_snapshot_xmax(pg_current_snapshot())::text AS xid`);
  return Number(rows[0].xid);
}

/** Client backends connected to our databases: pid → database. */
async function backendPids(client, ourDatabases) {
  const { rows } = await client.query(
    `SELECT pid, datname FROM pg_stat_activity WHERE backend_type = 'client backend' AND datname = ANY($1)`,
    [ourDatabases],
  );
  return new Map(rows.map((row) => [row.pid, row.datname]));
}

async function waitForBackendsGone(client, ourDatabases, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while ((await backendPids(client, ourDatabases)).size > 0 && Date.now() < deadline) await sleep(100);
}

/**
 * Waits until the saga has nothing left in flight: every outbox drained, every service queue empty
 * (ready and unacknowledged), and no message consumed since the previous look. Shipping an order's
 * last note still sends events after the order is `shipped` (inventory consumes the stock,
 * notifications plans its messages): they belong to the cost of the order.
 */
async function quiesce(suite, ourDatabases, vhost) {
  const deadline = performance.now() + 60_000;
  let previous = -1;
  for (;;) {
    let unsent = 0;
    for (const database of ourDatabases) {
      const db = new pg.Client({ connectionString: `${config.postgresServer}/${database}` });
      await db.connect();
      try {
        unsent += Number((await db.query(`SELECT count(*) AS n FROM outbox_message WHERE sent_at IS NULL`)).rows[0].n);
      } finally {
        await db.end();
      }
    }
    const queued = await queuedMessages(vhost);
    const scraped = await Promise.all(suite.services.map((s) => scrape(s.url)));
    const consumed = scraped.reduce((sum, samples) => sum + sumOf(samples, 'skald_messages_consumed_total'), 0);
    if (unsent === 0 && queued === 0 && consumed === previous) return;
    if (performance.now() > deadline) throw new Error(`not quiet after 60 s: ${unsent} unsent outbox rows, ${queued} queued messages`);
    previous = consumed;
    await sleep(300);
  }
}

/** Messages (ready + unacknowledged) in the vhost's service queues; 0 when rabbitmqctl is not here. */
async function queuedMessages(vhost) {
  const name = decodeURIComponent(new URL(vhost.url).pathname.slice(1)) || '/';
  try {
    const { stdout } = await run('rabbitmqctl', ['-q', 'list_queues', '-p', name, 'name', 'messages']);
    return stdout
      .split('\n')
      .map((line) => line.trim().split(/\s+/))
      .filter(([queue, count]) => /^skald\.[a-z]+$/.test(queue ?? '') && /^\d+$/.test(count ?? ''))
      .reduce((sum, [, count]) => sum + Number(count), 0);
  } catch {
    return 0;
  }
}

// ---------------------------------------------------------------------------------------------
// Analysis

function analysePlatform(r) {
  const N = config.orders;
  const all = [...r.orders.values()].filter((o) => o.placedAt !== undefined).sort((a, b) => a.n - b.n);
  const measured = all.slice(config.warmup);

  // The old measure, kept for the side-by-side ratio: from the release of the warm-up's last order
  // to the last placement, releases in that window per second. With --flood every order is placed
  // at once, so the window runs to the last release (and latencies include the backlog).
  const releases = all.map((o) => o.at.released).sort((a, b) => a - b);
  const windowStart = config.warmup > 0 ? releases[config.warmup - 1] : r.runStarted;
  const windowEnd = Math.max(config.flood ? releases[releases.length - 1] : r.lastPlacedAt, windowStart + 1);
  const inWindow = releases.filter((t) => t > windowStart && t <= windowEnd).length;

  const time = (o, point) => (typeof point === 'function' ? point(o) : o.at[point]);
  const span = (from, to) => summarize(measured.map((o) => time(o, to) - time(o, from)));
  const placed = (o) => o.placedAt;

  // --- what the run cost: database, broker, HTTP ---
  const ours = Object.fromEntries(NAMES.map((name) => [name, databaseName(r.databases[name])]));
  const dbDelta = (name, key) => (r.finalStats.get(ours[name])?.[key] ?? 0) - (r.before.stats.get(ours[name])?.[key] ?? 0);
  const dbTotal = (key) => NAMES.reduce((sum, name) => sum + dbDelta(name, key), 0);
  const commits = dbTotal('commits');
  const writes = r.finalXid - r.before.xid;
  // Transactions in every other database meanwhile (other users of the server): each may have
  // taken a transaction id, so the xid count is only ours when they are few.
  let others = 0;
  for (const [name, stats] of r.finalStats) {
    if (Object.values(ours).includes(name)) continue;
    const was = r.before.stats.get(name) ?? { commits: 0, rollbacks: 0 };
    others += stats.commits + stats.rollbacks - was.commits - was.rollbacks;
  }
  const xidClean = others <= 0.02 * writes;
  const metric = (name, metricName) => sumOf(r.after.metrics[name], metricName) - sumOf(r.before.metrics[name], metricName);
  // A labelled counter's deltas, summed per label value (routing keys: per consuming service too).
  const labelled = (metricName, label) => {
    const totals = new Map();
    for (const name of NAMES) {
      const was = sumBy(r.before.metrics[name], metricName, label);
      for (const [value, count] of sumBy(r.after.metrics[name], metricName, label)) {
        const delta = count - (was.get(value) ?? 0);
        if (delta <= 0) continue;
        const key = label === 'routing_key' ? `${value} → ${name}` : value;
        totals.set(key, (totals.get(key) ?? 0) + delta);
      }
    }
    return totals;
  };
  const sum = (f) => NAMES.reduce((total, name) => total + f(name), 0);

  // --- CPU and system calls, per process ---
  const seconds = (r.after.at - r.before.at) / 1000;
  const backendUsage = (from, to, name) =>
    usageBetween(from.backendSamples, to.backendSamples, [...to.backends].filter(([, db]) => db === ours[name]).map(([pid]) => pid));
  const services = NAMES.map((name) => {
    const node = usageBetween(r.before.serviceSamples, r.after.serviceSamples, [r.pids[name]]);
    const backends = backendUsage(r.before, r.after, name);
    const idleNode = r.idle ? usageBetween(r.idle.from.serviceSamples, r.idle.to.serviceSamples, [r.pids[name]]) : null;
    const idleBackends = r.idle ? backendUsage(r.idle.from, r.idle.to, name) : null;
    const idleSeconds = r.idle ? (r.idle.to.at - r.idle.from.at) / 1000 : Number.NaN;
    const consumed = metric(name, 'skald_messages_consumed_total');
    const http = metric(name, 'skald_http_request_seconds_count');
    return {
      name,
      commits: dbDelta(name, 'commits') / N,
      published: metric(name, 'skald_outbox_published_total') / N,
      consumed: consumed / N,
      http: http / N,
      httpMs: http ? (metric(name, 'skald_http_request_seconds_sum') / http) * 1000 : Number.NaN,
      handlerMs: consumed ? (metric(name, 'skald_message_handler_seconds_sum') / consumed) * 1000 : Number.NaN,
      gcMs: (metric(name, 'nodejs_gc_duration_seconds_sum') / N) * 1000,
      node,
      backends,
      idlePercent: idleNode ? ((idleNode.cpu + idleBackends.cpu) / idleSeconds) * 100 : Number.NaN,
      rss: { start: r.rss.start[name], startPeak: r.rss.startPeak[name], end: r.rss.end[name], peak: r.rss.peak[name] },
      heap: {
        usedBefore: sumOf(r.before.metrics[name], 'nodejs_heap_size_used_bytes'),
        used: sumOf(r.after.metrics[name], 'nodejs_heap_size_used_bytes'),
        total: sumOf(r.after.metrics[name], 'nodejs_heap_size_total_bytes'),
        external: sumOf(r.after.metrics[name], 'nodejs_external_memory_bytes'),
        newSpace: sumOf(r.after.metrics[name], 'nodejs_heap_space_size_total_bytes', { space: 'new' }),
      },
    };
  });
  const usage = cpuUsage(r.before.cpu, r.after.cpu);
  const secs = (percent) => (percent / 100) * seconds;
  const servicesCpu = services.reduce((total, s) => total + s.node.cpu, 0);
  const backendsCpu = services.reduce((total, s) => total + s.backends.cpu, 0);
  const cpu = usage && {
    services: servicesCpu,
    backends: backendsCpu,
    postgresOther: Math.max(0, secs(usage.postgres) - backendsCpu),
    rabbitmq: secs(usage.rabbitmq),
    bench: secs(usage.bench),
    // The services are children of this process but not in cpu.mjs's groups: "other" holds them.
    other: Math.max(0, secs(usage.other) - servicesCpu),
    otherPercent: Math.max(0, usage.other - (servicesCpu / seconds) * 100),
    machine: secs(usage.bench + usage.postgres + usage.rabbitmq + usage.other),
  };

  const consumedTotal = sum((name) => metric(name, 'skald_messages_consumed_total'));
  const fair = analyseWindow(r, measured, ours);
  const queries = r.queries && analyseQueries(r.queries, N);
  const tables = [...r.tables.after]
    .map(([name, now]) => {
      const was = r.tables.before.get(name) ?? { ins: 0, upd: 0, del: 0, seq: 0, idx: 0 };
      return { name, ins: (now.ins - was.ins) / N, upd: (now.upd - was.upd) / N, seq: (now.seq - was.seq) / N, idx: (now.idx - was.idx) / N, live: now.live };
    })
    .filter((t) => t.ins + t.upd + t.seq + t.idx > 0)
    .sort((a, b) => b.ins + b.upd + b.idx + b.seq - (a.ins + a.upd + a.idx + a.seq));
  return {
    N,
    split: all.filter((o) => o.notes > 1).length,
    notes: r.notes,
    sustained: fair.sustained,
    released: inWindow / ((windowEnd - windowStart) / 1000),
    fair,
    window: { seconds: (windowEnd - windowStart) / 1000, count: inWindow },
    overall: N / ((r.allShippedAt - r.runStarted) / 1000),
    allShippedSeconds: (r.allShippedAt - r.runStarted) / 1000,
    afterLastRelease: (r.allShippedAt - r.lastReleasedAt) / 1000,
    latency: { reserved: span(placed, 'reserved'), released: span(placed, 'released'), shipped: span(placed, 'shipped') },
    stages: [
      ['POST /v1/orders until 202', summarize(r.httpTimes.place.slice(config.warmup))],
      ['placed → approved (OrderPlaced; ReviewOrder → orders)', span(placed, 'approved')],
      ['approved → reserved (ReserveStock → inventory → StockReserved → orders)', span('approved', 'reserved')],
      ['reserved → released (CreateOutboundNotes → warehouse → NotesCreated → orders)', span('reserved', 'released')],
      ['notes created → an operator takes the first note', span('notesCreated', (o) => o.takenAt)],
      ['released → shipped (4 operator requests per note, events back to orders)', span('released', 'shipped')],
      ['  one operator request through the gateway', summarize(r.httpTimes.operator)],
    ],
    perOrder: {
      commits: commits / N,
      writes: writes / N,
      rollbacks: dbTotal('rollbacks') / N,
      rows: { inserted: dbTotal('inserted') / N, updated: dbTotal('updated') / N, deleted: dbTotal('deleted') / N },
      published: sum((name) => metric(name, 'skald_outbox_published_total')) / N,
      consumed: consumedTotal / N,
      gatewayRequests: metric('gateway', 'skald_http_request_seconds_count') / N,
      serviceSyscalls: services.reduce((total, s) => total + s.node.syscalls, 0) / N,
    },
    xid: { clean: xidClean, others },
    outcomes: labelled('skald_messages_consumed_total', 'outcome'),
    byRoutingKey: labelled('skald_messages_consumed_total', 'routing_key'),
    services,
    tables,
    queries,
    cpu,
    seconds,
    // The old ceiling: the whole run's work per order (idle polls, drain and shutdown included),
    // every hop one after another. When the transaction ids were clean, the read-only transactions
    // (API-key lookups, empty relay and dispatcher polls…) are done as reads; otherwise every
    // transaction is a write commit.
    oldCeilingPlan: (() => {
      const hops = consumedTotal / N;
      const shape = { chain: hops, published: hops, delivered: hops, operatorAfter: 0, notes: 0, operatorSteps: 0 };
      return xidClean ? { ...shape, writes: writes / N, reads: Math.max(0, commits - writes) / N } : { ...shape, writes: commits / N, reads: 0 };
    })(),
    ceilingPlan: fair.plan,
    messageBytes: r.messageSizes.length ? Math.round(r.messageSizes.reduce((a, b) => a + b, 0) / r.messageSizes.length) : 1_000,
    vhostUrl: r.vhostUrl,
    profileWindows: r.profileWindows,
    history: r.history,
    reads: r.reads,
    exits: r.exits,
    logged: r.logged,
  };
}

/**
 * The fair measure, over the measured window only: from the shipment of the warm-up's last order to
 * the last placement (until then every placer is busy), orders shipped in it per second, and what
 * the suite did meanwhile divided by those orders — in a steady closed loop the work in the window
 * is that of the orders completed in it, and nothing of the idle suite, the drain or the shutdown.
 * (pg_stat_database lags by up to a second at each end, as backends flush their counters; the
 * transaction ids and the services' metrics are exact.)
 */
function analyseWindow(r, measured, ours) {
  const { from, to } = r.window;
  const shipments = [...r.orders.values()].map((o) => o.at.shipped).filter((t) => t > from.at && t <= to.at);
  const count = shipments.length;
  const seconds = (to.at - from.at) / 1000;
  const names = Object.values(ours);
  const delta = (key) => names.reduce((total, name) => total + (to.stats.get(name)?.[key] ?? 0) - (from.stats.get(name)?.[key] ?? 0), 0);
  const commits = delta('commits');
  const writes = to.xid - from.xid;
  let others = 0;
  for (const [name, stats] of to.stats) {
    if (names.includes(name)) continue;
    const was = from.stats.get(name) ?? { commits: 0, rollbacks: 0 };
    others += stats.commits + stats.rollbacks - was.commits - was.rollbacks;
  }
  const xidClean = others <= 0.02 * writes;
  const metric = (metricName) => NAMES.reduce((total, name) => total + sumOf(to.metrics[name], metricName) - sumOf(from.metrics[name], metricName), 0);
  const mean = (values) => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
  // The critical path in hops: placement → outbound notes created, then the operator's ship
  // request → `shipped`. Everything else an order sends runs beside it.
  const withDepths = measured.filter((o) => o.depth.notesCreated && o.depth.shipped);
  const operatorAfter = mean(withDepths.map((o) => o.depth.notesCreated));
  const chain = operatorAfter + mean(withDepths.map((o) => o.depth.shipped));

  const usage = cpuUsage(from.cpu, to.cpu);
  const services = NAMES.reduce((total, name) => total + usageBetween(from.serviceSamples, to.serviceSamples, [r.pids[name]]).cpu, 0);
  const serviceSyscalls = NAMES.reduce((total, name) => total + usageBetween(from.serviceSamples, to.serviceSamples, [r.pids[name]]).syscalls, 0);
  // Backends that started inside the window count from zero; those that ended in it are lost.
  const backends = usageBetween(from.backendSamples, to.backendSamples, [...to.backends].filter(([, db]) => names.includes(db)).map(([pid]) => pid)).cpu;
  const secs = (percent) => (percent / 100) * seconds;
  const cpu = usage && {
    services,
    backends,
    postgresOther: Math.max(0, secs(usage.postgres) - backends),
    rabbitmq: secs(usage.rabbitmq),
    otherPercent: Math.max(0, usage.other - (services / seconds) * 100),
  };
  const shape = {
    chain,
    published: metric('skald_outbox_published_total') / count,
    delivered: metric('skald_messages_consumed_total') / count,
    operatorAfter,
    // Notes of a split order are worked side by side, each in four requests one after another.
    notes: mean(measured.map((o) => o.notes)),
    operatorSteps: OPERATOR_STEPS.length,
  };
  return {
    sustained: count / seconds,
    window: { seconds, count },
    latency: summarize(measured.map((o) => o.at.shipped - o.placedAt)),
    perOrder: { commits: commits / count, writes: writes / count, serviceSyscalls: serviceSyscalls / count },
    xid: { clean: xidClean, others },
    cpu,
    plan: xidClean ? { ...shape, writes: writes / count, reads: Math.max(0, commits - writes) / count } : { ...shape, writes: commits / count, reads: 0 },
  };
}

// ---------------------------------------------------------------------------------------------
// Output

const ms = (value, digits = 0) => fixed(value, digits);

function printPlatform(p) {
  console.log(
    `\nPlatform results: ${p.N} orders (${p.split} split over both warehouses, ${p.notes} outbound notes),` +
      ` measured after ${config.warmup} warm-up orders\n`,
  );
  console.log(
    formatTable(
      ['figure', 'value'],
      [
        ['sustained throughput (orders reaching shipped)', `${fixed(p.sustained, 1)} orders/s  (${p.fair.window.count} shipments in ${fixed(p.fair.window.seconds, 1)} s)`],
        ['  the old measure: orders reaching released', `${fixed(p.released, 1)} orders/s  (${p.window.count} releases in ${fixed(p.window.seconds, 1)} s)`],
        ['latency placed → reserved, p50 / p99', `${ms(p.latency.reserved.p50)} / ${ms(p.latency.reserved.p99)} ms`],
        ['latency placed → released, p50 / p99', `${ms(p.latency.released.p50)} / ${ms(p.latency.released.p99)} ms`],
        ['latency placed → shipped, p50 / p99', `${ms(p.latency.shipped.p50)} / ${ms(p.latency.shipped.p99)} ms`],
        ['all orders shipped, from the first placement', `${fixed(p.allShippedSeconds, 1)} s  (${fixed(p.afterLastRelease, 1)} s after the last release)`],
        ['end to end: orders / (first placement → last shipped)', `${fixed(p.overall, 1)} orders/s`],
      ],
    ),
  );

  console.log(`\nWhere an order's time goes (ms; each status as its event reaches the probe)\n`);
  console.log(formatTable(['stage', 'p50', 'p99'], p.stages.map(([label, s]) => [label, ms(s.p50, 1), ms(s.p99, 1)])));

  console.log(`\nPer service, per order\n`);
  console.log(
    formatTable(
      ['service', 'transactions', 'published', 'consumed', 'HTTP requests', 'mean HTTP ms', 'mean handler ms'],
      p.services.map((s) => [s.name, fixed(s.commits, 1), fixed(s.published, 1), fixed(s.consumed, 1), fixed(s.http, 1), ms(s.httpMs, 1), ms(s.handlerMs, 1)]),
    ),
  );

  // Node reads and writes sockets with read(2) and writev(2), which /proc/<pid>/io counts: per
  // order they approximate the network messages a service exchanges (PostgreSQL's own socket
  // calls are send/recv, which it does not count, so there is no such column for the backends).
  console.log(`\nCPU per service (ms per order), its socket reads and writes (per order), and the idle suite\n`);
  console.log(
    formatTable(
      ['service', 'node CPU', '(sys)', 'reads + writes', 'GC', 'its postgres backends CPU', 'idle, % of a core'],
      p.services.map((s) => [
        s.name,
        ms((s.node.cpu / p.N) * 1000, 1),
        `${ms((s.node.system / Math.max(s.node.cpu, 1e-9)) * 100)}%`,
        ms(s.node.syscalls / p.N),
        ms(s.gcMs, 1),
        ms((s.backends.cpu / p.N) * 1000, 1),
        ms(s.idlePercent, 1),
      ]),
    ),
  );

  console.log(`\nMemory per service (resident set; peak = VmHWM, the most held at once; V8 heap at the end)\n`);
  console.log(
    formatTable(
      ['service', 'after start', 'peak by then', 'at the end', 'peak', 'heap used before → after', 'heap total', '(new space)', `peak ≤ ${TARGETS.peakRssMb} MB`],
      p.services.map((s) => [
        s.name,
        mb(s.rss.start),
        mb(s.rss.startPeak),
        mb(s.rss.end),
        mb(s.rss.peak),
        `${fixed(s.heap.usedBefore / MB, 0)} → ${fixed(s.heap.used / MB, 0)} MB`,
        mb(s.heap.total),
        mb(s.heap.newSpace),
        s.rss.peak === null ? 'n/a' : s.rss.peak / MB <= TARGETS.peakRssMb ? 'PASS' : 'MISS',
      ]),
    ),
  );

  const po = p.perOrder;
  console.log(`\nWhat one order cost, over the whole run (${fixed(p.seconds, 1)} s from the first placement until all was quiet)\n`);
  console.log(
    formatTable(
      ['per order', 'value', 'counted as'],
      [
        ['database transactions', fixed(po.commits, 1), 'xact_commit delta over the six databases (read-only ones included)'],
        [
          '  of which writing',
          fixed(po.writes, 1),
          `transaction ids assigned, server-wide (${p.xid.clean ? 'clean: no other activity' : `NOT clean: ${p.xid.others} transactions elsewhere meanwhile`})`,
        ],
        ['  rolled back', fixed(po.rollbacks, 2), 'xact_rollback delta'],
        ['rows inserted / updated / deleted', `${fixed(po.rows.inserted, 1)} / ${fixed(po.rows.updated, 1)} / ${fixed(po.rows.deleted, 1)}`, 'tup_* deltas'],
        ['messages published', fixed(po.published, 1), 'skald_outbox_published_total delta (broker-confirmed)'],
        ['messages delivered to service queues', fixed(po.consumed, 1), 'skald_messages_consumed_total delta'],
        ['gateway HTTP requests', fixed(po.gatewayRequests, 1), 'skald_http_request_seconds_count delta'],
      ],
    ),
  );
  console.log(`messages consumed by outcome: ${[...p.outcomes].map(([k, v]) => `${k} ${v}`).join(', ') || 'none'}`);
  console.log(`\nMessages delivered per order, by routing key and consuming service\n`);
  console.log(
    formatTable(
      ['routing key → service', 'per order'],
      [...p.byRoutingKey].sort((a, b) => b[1] - a[1]).map(([key, value]) => [key, fixed(value / p.N, 2)]),
    ),
  );

  console.log(`\nRows written and scans per order, by table (the ${TOP_TABLES} busiest; pg_stat_user_tables deltas)\n`);
  console.log(
    formatTable(
      ['service.table', 'inserted', 'updated', 'index scans', 'sequential scans', 'rows at the end'],
      p.tables.slice(0, TOP_TABLES).map((t) => [t.name, fixed(t.ins, 2), fixed(t.upd, 2), fixed(t.idx, 1), fixed(t.seq, 2), String(t.live)]),
    ),
  );

  if (p.queries) printQueries(p.queries);

  if (p.cpu) {
    console.log(`\nCPU during the run (${os.cpus().length} cores = ${os.cpus().length * 100}% of a core)\n`);
    const rows = [
      ['the six services (node)', p.cpu.services],
      ['their postgres backends', p.cpu.backends],
      ['postgres, the rest (WAL writer, checkpointer, other clients)', p.cpu.postgresOther],
      ['rabbitmq', p.cpu.rabbitmq],
      ['this benchmark (HTTP client, probe, operator)', p.cpu.bench],
      ['unrelated processes', p.cpu.other],
      ['machine', p.cpu.machine],
    ];
    console.log(
      formatTable(
        ['process', '% of a core', 'ms per order'],
        rows.map(([label, s]) => [label, ms((s / p.seconds) * 100), ms((s / p.N) * 1000, 1)]),
      ),
    );
  }

  const unclean = p.exits.filter((e) => e.code !== 0);
  if (unclean.length) console.log(`\nNote: services that did not stop cleanly on SIGTERM: ${JSON.stringify(unclean)}`);
  // The two "channel not configured" warnings are expected (no SMTP, no SMS by design).
  const unexpected = p.logged.filter((line) => line.trim() && !/(SMTP_URL|SMS_PROVIDER_URL) is not set/.test(line));
  if (unexpected.length) {
    console.log(`\nNote: the services logged ${unexpected.length} unexpected line(s) at warn or above; the first few:`);
    for (const line of unexpected.slice(0, 5)) console.log(`  ${line.slice(0, 300)}`);
  }
}

/** Statement counts over the measured run, per order: by service and kind, and the most frequent. */
function analyseQueries({ before, after }, N) {
  const kindOf = (text) => {
    const word = /^\s*(\w+)(?:\s+(\w+))?/.exec(text);
    const first = word?.[1]?.toUpperCase() ?? '?';
    return first === 'START' ? 'BEGIN' : first;
  };
  const services = [];
  const top = [];
  for (const name of NAMES) {
    const was = before[name] ?? new Map();
    const kinds = new Map();
    let total = 0;
    for (const [text, count] of after[name] ?? new Map()) {
      const delta = count - (was.get(text) ?? 0);
      if (delta <= 0) continue;
      total += delta;
      kinds.set(kindOf(text), (kinds.get(kindOf(text)) ?? 0) + delta);
      top.push({ service: name, text, perOrder: delta / N });
    }
    const k = (kind) => (kinds.get(kind) ?? 0) / N;
    services.push({
      name,
      total: total / N,
      begin: k('BEGIN'),
      commit: k('COMMIT'),
      select: k('SELECT'),
      insert: k('INSERT'),
      update: k('UPDATE'),
      other: total / N - k('BEGIN') - k('COMMIT') - k('SELECT') - k('INSERT') - k('UPDATE'),
    });
  }
  top.sort((a, b) => b.perOrder - a.perOrder);
  return { services, top };
}

function printQueries(q) {
  console.log(`\nSQL statements per order, by service (--count-queries: every pg query the service sent)\n`);
  const rows = q.services.map((s) => [
    s.name,
    fixed(s.total, 1),
    fixed(s.begin, 1),
    fixed(s.commit, 1),
    fixed(s.select, 1),
    fixed(s.insert, 1),
    fixed(s.update, 1),
    fixed(s.other, 1),
    s.begin > 0 ? fixed((s.total - s.begin - s.commit) / s.begin, 1) : '-',
  ]);
  const sum = (key) => q.services.reduce((total, s) => total + s[key], 0);
  const all = { total: sum('total'), begin: sum('begin'), commit: sum('commit') };
  rows.push(['all', fixed(all.total, 1), fixed(all.begin, 1), fixed(all.commit, 1), fixed(sum('select'), 1), fixed(sum('insert'), 1), fixed(sum('update'), 1), fixed(sum('other'), 1), fixed((all.total - all.begin - all.commit) / all.begin, 1)]);
  console.log(formatTable(['service', 'statements', 'BEGIN', 'COMMIT', 'SELECT', 'INSERT', 'UPDATE', 'other', 'statements per BEGIN…COMMIT'], rows));
  console.log(`\nThe most frequent statements (per order)\n`);
  console.log(formatTable(['service', 'per order', 'statement'], q.top.slice(0, 20).map((t) => [t.service, fixed(t.perOrder, 2), t.text.slice(0, 120)])));
}

/** What the run did about scale, and how its throughput compares with a run without history. */
function printScale(p) {
  const h = p.history;
  console.log(`\nScale (issue #13: throughput with 1,000,000 SKUs and orders of history within 10 % of the small run)\n`);
  const rows = [
    [
      'history',
      h
        ? `${config.history} orders, ${config.historySkus} SKUs, ${config.historyPlatforms} platforms — ${h.reused ? `reused (loaded earlier in ${fixed(Number(h.marker.load_seconds), 0)} s; migrations run in ${fixed(h.seconds, 1)} s)` : `loaded in ${fixed(h.seconds, 1)} s`}${config.keepHistory ? ', kept' : ', dropped at the end'}`
        : 'none (the small run)',
    ],
    ['sustained orders/s (this run)', fixed(p.sustained, 1)],
  ];
  if (h && Number.isFinite(config.baselineThroughput)) {
    const ratio = p.sustained / config.baselineThroughput;
    rows.push(['small run (--baseline-throughput)', fixed(config.baselineThroughput, 1)]);
    rows.push([`this / small run (target ≥ ${TARGETS.scaleThroughputRatio})`, `${fixed(ratio, 2)}: ${ratio >= TARGETS.scaleThroughputRatio ? 'PASS' : 'MISS'}`]);
  }
  console.log(formatTable(['figure', 'value'], rows));
  if (!h) {
    console.log('(to compare: run again with the same options and --history=1000000 [--keep-history] --baseline-throughput=<the sustained figure above>)');
  } else if (!Number.isFinite(config.baselineThroughput)) {
    console.log('(one run cannot do both: run the same options without --history, then pass its sustained figure as --baseline-throughput=<orders/s>)');
  }
}

function printComparison(p, old, c) {
  // Once, side by side: what the comparison said before it was made fair, and what it says now.
  console.log(`\nPlatform against the ceiling: the old comparison and the fair one\n`);
  const oldRatio = p.released / old.throughput;
  const ratio = p.sustained / c.throughput;
  console.log(
    formatTable(
      ['figure', 'old', 'fair'],
      [
        ['span of an order', 'placed → released', 'placed → shipped (operator included)'],
        ['platform orders/s (this run)', `${fixed(p.released, 1)} reaching released`, `${fixed(p.sustained, 1)} reaching shipped`],
        ['ceiling orders/s', fixed(old.throughput, 1), fixed(c.throughput, 1)],
        ['ceiling: an order\'s hops', 'all one after another', 'critical path in turn, the rest beside it'],
        ['ceiling: work per order counted over', 'the whole run (idle, drain, shutdown)', 'the measured window'],
        ['platform / ceiling', fixed(oldRatio, 2), fixed(ratio, 2)],
      ],
    ),
  );
  // Both platform figures come from this run, whose placers wait for `shipped`; the old benchmark's
  // waited for `released` only, so it had more than C orders in flight and counted somewhat more.
  console.log(`(both columns from this run; the old benchmark's placers waited for released only, with the operator's orders beyond the ${config.concurrency} in flight)`);

  console.log(`\nPlatform against the fair ceiling (the measured windows of both)\n`);
  const pc = p.fair.cpu;
  const cc = c.cpu;
  const perOrder = (seconds, orders) => (seconds / orders) * 1000;
  const pn = p.fair.window.count;
  const cn = cc?.orders;
  const pTotal = pc ? pc.services + pc.backends + pc.postgresOther + pc.rabbitmq : Number.NaN;
  const cTotal = cc ? cc.app + cc.backends + cc.postgresOther + cc.rabbitmq : Number.NaN;
  const row = (label, platform, ceiling, digits = 1, target = '') => [
    label,
    fixed(platform, digits),
    fixed(ceiling, digits),
    fixed(platform / ceiling, 2),
    target,
  ];
  console.log(
    formatTable(
      ['figure', 'platform', 'ceiling', 'platform/ceiling', 'target'],
      [
        row(`sustained orders/s, ${config.concurrency} in flight`, p.sustained, c.throughput, 1, `≥ ${TARGETS.ceilingRatio}: ${ratio >= TARGETS.ceilingRatio ? 'PASS' : 'MISS'}`),
        row('end to end orders/s (whole run)', p.overall, c.overall),
        row('order latency p50, ms (placed → shipped)', p.fair.latency.p50, c.latency.p50, 0),
        row('order latency p99, ms', p.fair.latency.p99, c.latency.p99, 0),
        row('CPU ms per order: application (node)', pc && perOrder(pc.services, pn), cc && perOrder(cc.app, cn)),
        row('  postgres backends', pc && perOrder(pc.backends, pn), cc && perOrder(cc.backends, cn)),
        row('  postgres, the rest', pc && perOrder(pc.postgresOther, pn), cc && perOrder(cc.postgresOther, cn)),
        row('  rabbitmq', pc && perOrder(pc.rabbitmq, pn), cc && perOrder(cc.rabbitmq, cn)),
        row('  total', perOrder(pTotal, pn), perOrder(cTotal, cn)),
        row('socket reads + writes per order: application', p.fair.perOrder.serviceSyscalls, cc && cc.appSyscalls / cn, 0),
        row('unrelated processes, % of a core', pc && pc.otherPercent, cc && cc.otherPercent, 0),
      ],
    ),
  );
  console.log(
    `(work per order in the window: ${fixed(p.fair.perOrder.commits, 1)} transactions, ${fixed(p.fair.perOrder.writes, 1)} writing` +
      `${p.fair.xid.clean ? '' : ` — NOT clean: ${p.fair.xid.others} transactions elsewhere, all done as writes`};` +
      ` over the whole run ${fixed(p.perOrder.commits, 1)} and ${fixed(p.perOrder.writes, 1)})`,
  );
}

function printTargets(p, c) {
  const rssMiss = p.services.filter((s) => s.rss.peak !== null && s.rss.peak / MB > TARGETS.peakRssMb).map((s) => s.name);
  const parts = [];
  if (c) {
    const ratio = p.sustained / c.throughput;
    parts.push(`throughput ≥ ${TARGETS.ceilingRatio} × ceiling: ${ratio >= TARGETS.ceilingRatio ? 'PASS' : 'MISS'} (${fixed(ratio, 2)})`);
  }
  parts.push(`peak RSS ≤ ${TARGETS.peakRssMb} MB per service: ${rssMiss.length ? `MISS (${rssMiss.join(', ')})` : 'PASS'}`);
  console.log(`\nTargets: ${parts.join('; ')}`);
  const busiest = Math.max(p.cpu?.otherPercent ?? 0, c?.cpu?.otherPercent ?? 0);
  if (busiest > OTHER_CPU_WARNING) {
    console.log(`Note: unrelated processes used up to ${busiest.toFixed(0)}% of a core during a measured run; both runs compete with them, the figures are skewed.`);
  }
}

function printProfiles(windows) {
  console.log(`\nCPU profiles (--cpu-prof) in ${config.cpuProfDir}: samples during the measured run, per service\n`);
  for (const line of summarizeProfiles(config.cpuProfDir, { top: 10, windows })) console.log(line);
}

function mb(bytes) {
  return bytes === null || bytes === undefined ? 'n/a' : `${fixed(bytes / MB, 1)} MB`;
}

async function printEnvironment() {
  const cpus = os.cpus();
  const postgres = new pg.Client({ connectionString: `${config.postgresServer}/postgres` });
  await postgres.connect();
  const { rows } = await postgres.query(
    `SELECT current_setting('server_version') AS version, current_setting('synchronous_commit') AS sync, current_setting('max_connections') AS max,
            (SELECT count(*)::int FROM pg_stat_activity WHERE backend_type = 'client backend') AS used`,
  );
  await postgres.end();
  connectionBudget(Number(rows[0].max), rows[0].used);
  const broker = await amqplib.connect(config.rabbitmqUrl);
  const rabbitmq = broker.connection.serverProperties.version;
  await broker.close();
  console.log('Skald order benchmark');
  console.log(
    `machine     ${cpus.length} × ${cpus[0]?.model.trim()}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, ${os.platform()} ${os.release()},` +
      ` load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`,
  );
  console.log(`node        ${process.version}`);
  console.log(`postgresql  ${rows[0].version} (synchronous_commit=${rows[0].sync}, max_connections=${rows[0].max})`);
  console.log(`rabbitmq    ${rabbitmq}`);
  console.log(
    `parameters  orders=${config.orders} concurrency=${config.concurrency} warmup=${config.warmup} operators=${config.operators}` +
      ` skus=${config.skus} seed=${config.seed} ceiling-orders=${config.ceiling ? config.ceilingOrders : 'off'}` +
      `${config.flood ? ' flood' : ''}${config.cpuProf ? ' cpu-prof' : ''}${config.countQueries ? ' count-queries' : ''}` +
      ` read-samples=${config.readSamples}${config.history ? ` history=${config.history} history-skus=${config.historySkus}${config.keepHistory ? ' keep-history' : ''}` : ''}`,
  );
  console.log(
    `services    DATABASE_POOL_SIZE=${config.poolSize} MESSAGING_PREFETCH=${config.prefetch}` +
      `${config.poolBudget ? ` (from max_connections: ${config.poolBudget})` : ' (from the environment)'}`,
  );
  // The memory table holds for the images only with their settings (scripts/lib/suite.mjs, ADR 3).
  const nodeOptions = process.env.SKALD_SERVICE_NODE_OPTIONS ?? SERVICE_NODE_OPTIONS;
  const arenas = process.env.MALLOC_ARENA_MAX ?? SERVICE_MALLOC_ARENA_MAX;
  const v8Flags = serviceV8Flags();
  const shipped = nodeOptions === SERVICE_NODE_OPTIONS && arenas === SERVICE_MALLOC_ARENA_MAX && v8Flags.join(' ') === SERVICE_V8_FLAGS.join(' ');
  console.log(
    `memory      NODE_OPTIONS="${nodeOptions}" MALLOC_ARENA_MAX=${arenas} V8 flags: ${v8Flags.join(' ') || 'none'} ` +
      `${shipped ? "(the image's)" : "(not the image's: SKALD_SERVICE_NODE_OPTIONS, MALLOC_ARENA_MAX or SKALD_SERVICE_V8_FLAGS set)"}`,
  );
  console.log(`run id      ${RUN_ID}`);
}

/** The services' defaults (a pool of 20 each) exceed a default PostgreSQL's 100 connections. */
const SERVICE_DEFAULT_POOL = 20;
const SERVICE_DEFAULT_PREFETCH = 16;
/** Connections a service holds besides its pool, on average (the outbox relay's LISTEN; the gateway's key cache; notifications' dispatcher and subscription cache). */
const CONNECTIONS_BESIDE_POOL = 2;
/** Left for this process, the ceiling's later pool is sized on its own, psql and the rest. */
const RESERVED_CONNECTIONS = 10;

/**
 * Sizes each service's pool (and prefetch, which may not exceed it) to what the server has free,
 * unless the environment sets them: six services at their default pool of 20 ask for more than
 * PostgreSQL's default max_connections, and the run then measures "too many clients".
 */
function connectionBudget(maxConnections, used) {
  const free = maxConnections - used - RESERVED_CONNECTIONS;
  const perService = Math.floor(free / NAMES.length) - CONNECTIONS_BESIDE_POOL;
  if (config.poolSize === undefined) {
    if (perService < 4) throw new Error(`PostgreSQL has ${free} connections free: too few for ${NAMES.length} services (set DATABASE_POOL_SIZE)`);
    config.poolSize = Math.min(SERVICE_DEFAULT_POOL, perService);
    config.poolBudget = `${maxConnections} - ${used} in use - ${RESERVED_CONNECTIONS} reserved, ${NAMES.length} services`;
  }
  config.prefetch ??= Math.min(SERVICE_DEFAULT_PREFETCH, Math.max(1, config.poolSize - 2));
}

// ---------------------------------------------------------------------------------------------
// Helpers

/** SKUs, 70 % in group A (both warehouses) and 30 % in group B (second warehouse only). */
function buildCatalog(count) {
  return Array.from({ length: count }, (_, i) => ({
    sku: `BENCH-${String(i + 1).padStart(3, '0')}`,
    name: `Bench item ${i + 1}`,
    price: 5 + (i % 20),
    group: i % 10 < 7 ? 'A' : 'B',
  }));
}

/** 1 to 3 lines of distinct SKUs, quantities 1 to 3, paid: the automatic review approves it. */
function orderBody(n, catalog, random) {
  const count = 1 + Math.floor(random() * 3);
  const items = new Set();
  while (items.size < Math.min(count, catalog.length)) items.add(catalog[Math.floor(random() * catalog.length)]);
  const lines = [...items].map((item) => ({ sku: item.sku, quantity: 1 + Math.floor(random() * 3), unitPrice: item.price }));
  const amount = lines.reduce((total, line) => total + line.quantity * line.unitPrice, 0);
  const customer = n % 200;
  return {
    externalId: `BENCH-${RUN_ID}-${n}`,
    channel: 'web',
    customer: { id: `C-${customer}`, name: `Customer ${customer}`, email: `c${customer}@bench.test`, phone: '+32470000001' },
    lines,
    currency: 'EUR',
    shippingAddress: { line1: 'Kouter 1', city: 'Ghent', postalCode: '9000', country: 'BE' },
    payment: { method: 'card', status: 'paid', amount },
  };
}

/** First come, first served; `take` answers null once closed and empty. */
class WorkQueue {
  #items = [];
  #takers = [];
  #closed = false;

  get length() {
    return this.#items.length;
  }

  push(item) {
    const taker = this.#takers.shift();
    if (taker) taker(item);
    else this.#items.push(item);
  }

  take() {
    if (this.#items.length) return Promise.resolve(this.#items.shift());
    if (this.#closed) return Promise.resolve(null);
    return new Promise((resolve) => this.#takers.push(resolve));
  }

  close() {
    this.#closed = true;
    for (const taker of this.#takers.splice(0)) taker(null);
  }
}

async function inBatches(items, size, work) {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(work));
}

function databaseName(url) {
  return new URL(url).pathname.slice(1);
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

await main().then(
  () => process.exit(0),
  (error) => {
    if (interrupted) process.exit(130);
    console.error(`\nbenchmark failed: ${error.stack ?? error}`);
    if (serviceOutput.length > 0) console.error(`\nThe services' last output (warn and above):\n${serviceOutput.slice(-20).join('\n')}`);
    process.exit(1);
  },
);
