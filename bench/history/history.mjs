// Order history for the scale benchmark (issue #13, "Scale"): fills each service's database, after
// its migrations ran, with a year of realistic rows — by default 1,000,000 SKUs in the catalog and
// stock (inventory, and the copies orders and returns keep) and 1,000,000 orders as the real flow
// leaves them in every database — so that the live run and the read-latency phase of bench:orders
// meet tables the size production has.
//
// How it loads quickly, without a COPY client (pg-copy-streams is not a dependency): every table is
// one INSERT … SELECT FROM generate_series, computed by the server. Each database loads on its own
// connection (two at a time: the machine has two cores) with session_replication_role = replica
// (no foreign-key triggers: the rows are consistent by construction) and synchronous_commit off;
// the secondary indexes of the tables it fills are dropped first and built again after (a sorted
// build beats a million random inserts), then VACUUM ANALYZE, as autovacuum would have done.
//
// What the rows look like, order n of N (deterministic: every database agrees on every id):
//   - id hid('hist-order-<n>'), a v4-shaped uuid from md5; external id HIST-<n>: history is told
//     apart from the live run (BENCH-<run id>-<n>) by that and by its platforms and SKUs (HIST-…);
//   - platform n mod P (P = 300 by default), customer HC-<(n / P) mod 2000> (a customer id of one
//     platform is about 2 orders, the same id over all platforms about N/2000);
//   - created a year ago up to the load's anchor time, evenly (n = N is the newest); 1–3 lines of
//     distinct SKUs; 92 % delivered, 5 % cancelled after reservation, 3 % rejected by the review;
//     a delivered order has one outbound note, or two (about 10 %) when it is split over the two
//     history warehouses; its saga, status history, reservations, stock movements, notes,
//     shipments, deliveries (two e-mails), and 2 % of delivered orders have a return;
//   - history ends 49 hours before the load (every order has settled: no saga waits, no deadline);
//     inbox and outbox rows only as far back as the services keep them (inbox 30 days, outbox 7;
//     the gateway's idempotency records live 24 h, so none): older ones the services have pruned.
//
// A marker table (bench_history, one row) in every database says what was loaded and when; with
// --keep-history the databases have stable names (bench_<service>_history_<N>) and a later run
// whose marker matches reuses them (after running pending migrations) instead of loading again.
import { execFile } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import {
  CreateOutboundNotesV1,
  OrderPlacedV1,
  OrderStatusChangedV1,
  OutboundNotesCreatedV1,
  OutboundNoteShippedV1,
  ReleaseStockV1,
  ReserveStockV1,
  ReviewOrderV1,
  ShipmentDeliveredV1,
  StockReleasedV1,
  StockReservedV1,
} from '@skald/contracts';
import { dropDatabase } from '@skald/persistence';
import pg from 'pg';
import { serviceDir } from '../../scripts/lib/suite.mjs';

const run = promisify(execFile);

/** Bumped whenever the rows the loader writes change: a kept history of another version is loaded again. */
export const HISTORY_VERSION = 1;
export const HISTORY_WAREHOUSES = ['HIST-WH-1', 'HIST-WH-2'];
const CUSTOMERS_PER_PLATFORM_KEY = 2000;
/** Retentions of the real services: older rows are pruned there, so history has none. */
const INBOX_DAYS = 30;
const OUTBOX_DAYS = 7;
/** The newest history order was placed this long before the load: every one of them has settled (delivered two days after placement). */
const NEWEST_HOURS_AGO = 49;

/** The stable database of a kept history, or the run's scratch one. */
export function historyDatabaseName(service, { keep, orders, runId }) {
  return keep ? `bench_${service}_history_${orders}` : `bench_${service}_${runId}`;
}

/** The history platform p's id (as the SQL below computes it). */
export function historyPlatformId(p) {
  return `md5('hist-platform-' || ${Number(p)})`;
}

/**
 * Makes every service's database ready: migrations run, history loaded (or reused when kept and
 * its marker matches). @returns the database URLs by service, whether it reused them, the marker.
 */
export async function prepareHistory({ server, services, orders, skus, platforms = 300, keep, runId, log = console.log }) {
  const opts = { keep, orders, runId };
  const databases = Object.fromEntries(services.map((name) => [name, `${server}/${historyDatabaseName(name, opts)}`]));
  const wanted = { version: HISTORY_VERSION, orders, skus, platforms };
  const started = performance.now();
  await Promise.all(services.map((name) => migrate(name, databases[name])));
  if (keep) {
    const markers = await Promise.all(services.map((name) => readMarker(databases[name])));
    const same = markers.every((m) => m && m.complete && m.version === wanted.version && m.orders === orders && m.skus === skus && m.platforms === platforms);
    if (same) {
      log(`history     reusing ${orders} orders and ${skus} SKUs loaded ${markers[0].loaded_at.toISOString()} in ${Number(markers[0].load_seconds).toFixed(0)} s (bench_<service>_history_${orders}; migrations run)`);
      return { databases, reused: true, seconds: (performance.now() - started) / 1000, marker: markers[0] };
    }
    // Another size or version, or a load that did not finish (no marker): start from empty databases.
    log(`history     no complete history of this size kept (bench_<service>_history_${orders}): loading it`);
    for (const name of services) await dropDatabase(databases[name]);
    await Promise.all(services.map((name) => migrate(name, databases[name])));
  }
  const anchor = new Date();
  log(`history     loading ${orders} orders, ${skus} SKUs over ${platforms} platforms into ${services.length} databases…`);
  const context = { orders, skus, platforms, anchor: anchor.toISOString() };
  const queue = [...services].sort((a, b) => (WEIGHT[b] ?? 0) - (WEIGHT[a] ?? 0));
  const timings = {};
  const worker = async () => {
    for (let name = queue.shift(); name; name = queue.shift()) {
      const t0 = performance.now();
      await loadDatabase(databases[name], PLANS[name](context));
      timings[name] = (performance.now() - t0) / 1000;
      log(`  … ${name} loaded in ${timings[name].toFixed(1)} s`);
    }
  };
  await Promise.all([worker(), worker()]);
  const seconds = (performance.now() - started) / 1000;
  for (const name of services) await writeMarker(databases[name], { ...wanted, anchor, seconds });
  log(`history     loaded in ${seconds.toFixed(1)} s (${services.map((name) => `${name} ${timings[name].toFixed(0)} s`).join(', ')})`);
  return { databases, reused: false, seconds, marker: { ...wanted, loaded_at: anchor, load_seconds: seconds } };
}

/** Drops a kept history's databases (bench:history -- --drop). */
export async function dropHistory({ server, services, orders }) {
  for (const name of services) await dropDatabase(`${server}/${historyDatabaseName(name, { keep: true, orders })}`);
}

/** The platform's own migrations (`node dist/migrate.js run`), which also creates the database. */
async function migrate(service, databaseUrl) {
  await run(process.execPath, ['dist/migrate.js', 'run'], {
    cwd: serviceDir(service),
    env: { PATH: process.env.PATH ?? '', DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn' },
    timeout: 300_000,
  });
}

async function withClient(url, work) {
  const client = new pg.Client({ connectionString: url, application_name: 'bench-history' });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function readMarker(url) {
  return withClient(url, async (client) => {
    const { rows } = await client.query(`SELECT to_regclass('bench_history') IS NOT NULL AS present`);
    if (!rows[0].present) return null;
    return (await client.query(`SELECT * FROM bench_history`)).rows[0] ?? null;
  }).catch(() => null);
}

async function writeMarker(url, { version, orders, skus, platforms, anchor, seconds }) {
  await withClient(url, async (client) => {
    await client.query(`
      CREATE TABLE IF NOT EXISTS bench_history (
        id int PRIMARY KEY DEFAULT 1 CHECK (id = 1), version int NOT NULL, orders int NOT NULL, skus int NOT NULL,
        platforms int NOT NULL, loaded_at timestamptz NOT NULL, load_seconds numeric NOT NULL, complete boolean NOT NULL)`);
    await client.query(
      `INSERT INTO bench_history (id, version, orders, skus, platforms, loaded_at, load_seconds, complete) VALUES (1, $1, $2, $3, $4, $5, $6, true)
       ON CONFLICT (id) DO UPDATE SET version = $1, orders = $2, skus = $3, platforms = $4, loaded_at = $5, load_seconds = $6, complete = true`,
      [version, orders, skus, platforms, anchor, seconds.toFixed(1)],
    );
  });
}

/** Runs one database's plan: secondary indexes off, the inserts, indexes back, VACUUM ANALYZE. */
async function loadDatabase(url, plan) {
  await withClient(url, async (client) => {
    await client.query(`SET session_replication_role = replica`);
    await client.query(`SET synchronous_commit = off`);
    await client.query(`SET maintenance_work_mem = '256MB'`);
    await client.query(`SET work_mem = '64MB'`);
    for (const statement of PRELUDE) await client.query(statement);
    const tables = [...new Set(plan.map((step) => step.table).filter(Boolean))];
    // Indexes that no constraint owns (primary keys and UNIQUE constraints stay and check the rows).
    const { rows: indexes } = await client.query(
      `SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def
         FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
        WHERE t.relnamespace = 'public'::regnamespace AND t.relname = ANY($1)
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)`,
      [tables],
    );
    for (const index of indexes) await client.query(`DROP INDEX ${index.name}`);
    for (const step of plan) await client.query(step.sql);
    for (const index of indexes) await client.query(index.def);
    for (const table of tables) await client.query(`VACUUM (ANALYZE) ${table}`);
  });
}

// ---------------------------------------------------------------------------------------------
// The rows. Helpers live in the session (pg_temp), views over generate_series name each order's
// attributes once; each plan is a list of { table, sql }.

const PRELUDE = [
  // A v4-shaped uuid from a text: stable across databases, valid for every uuid check on the way.
  // One expression without FROM, so that PostgreSQL inlines it (a call per row costs more than the row).
  `CREATE FUNCTION pg_temp.hid(t text) RETURNS uuid LANGUAGE sql IMMUTABLE AS $$
     SELECT overlay(overlay(md5(t) PLACING '4' FROM 13) PLACING '8' FROM 17)::uuid $$`,
];

/** Load order: the biggest first, so that two workers finish together. */
const WEIGHT = { orders: 6, inventory: 4, warehouse: 3, returns: 3, notifications: 2, gateway: 1 };

const sku = (k) => `'HIST-' || lpad((${k})::text, 7, '0')`;

/**
 * An order's lines as jsonb [{ sku, quantity }] (of one note when `noteNo` is given), computed from
 * the row's n: a subquery over the hl view would scan every order's lines for each row.
 */
const linesJson = (alias, S, noteNo) =>
  `(SELECT jsonb_agg(jsonb_build_object('sku', ${sku('x.k')}, 'quantity', 1 + (${alias}.n + x.l) % 3) ORDER BY x.l)
      FROM (SELECT l, ((${alias}.n * 7 + l * 104729) % ${S}) + 1 AS k FROM generate_series(1, ${alias}.line_count) AS l) x
     ${noteNo ? `WHERE CASE WHEN ${alias}.split AND x.l = 1 THEN 2 ELSE 1 END = ${noteNo}` : ''})`;
/** An order's total (the sum of its lines), computed from the row's n. */
const orderTotal = (alias, S) =>
  `(SELECT sum((1 + (${alias}.n + l) % 3) * (5 + (((${alias}.n * 7 + l * 104729) % ${S}) + 1) % 20)) FROM generate_series(1, ${alias}.line_count) AS l)`;
const lit = (text) => `'${String(text).replace(/'/g, "''")}'`;

/** The per-session views every plan reads from: h (orders), hl (lines), hn (notes), hm (messages). */
function views({ orders: N, skus: S, platforms: P, anchor }) {
  const T0 = `${lit(anchor)}::timestamptz`;
  const step = (365 * 86_400) / N;
  return [
    `CREATE TEMP VIEW h AS
       SELECT n, pg_temp.hid('hist-order-' || n) AS order_id, pg_temp.hid('hist-platform-' || (n % ${P}))::text AS tenant_id,
              'HC-' || ((n / ${P}) % ${CUSTOMERS_PER_PLATFORM_KEY}) AS customer_id,
              ${T0} - interval '${NEWEST_HOURS_AGO} hours' - (${N} - n) * interval '${step} seconds' AS created_at,
              CASE WHEN n % 100 < 3 THEN 'rejected' WHEN n % 100 < 8 THEN 'cancelled' ELSE 'delivered' END AS status,
              1 + n % 3 AS line_count, (n % 9 = 1) AS split,
              (ARRAY['web', 'marketplace', 'pos'])[1 + n % 3] AS channel
         FROM generate_series(1, ${N}) AS n`,
    // A split order's first line is in the second warehouse (note 2), its others in the first.
    `CREATE TEMP VIEW hl AS
       SELECT h.*, l, k, ${sku('k')} AS sku, 1 + (h.n + l) % 3 AS quantity, 5 + k % 20 AS unit_price,
              CASE WHEN h.split AND l = 1 THEN 2 ELSE 1 END AS note_no
         FROM h CROSS JOIN LATERAL (SELECT l, ((h.n * 7 + l * 104729) % ${S}) + 1 AS k FROM generate_series(1, h.line_count) AS l) x`,
    `CREATE TEMP VIEW hn AS
       SELECT h.*, j AS note_no, pg_temp.hid('hist-note-' || h.n || '-' || j) AS note_id, 'HIST-WH-' || j AS warehouse,
              pg_temp.hid('hist-shipment-' || h.n || '-' || j) AS shipment_id
         FROM h CROSS JOIN LATERAL generate_series(1, CASE WHEN h.split THEN 2 ELSE 1 END) AS j
        WHERE h.status = 'delivered'`,
    // The messages of a delivered order: who published, who consumed, when (after placement).
    `CREATE TEMP VIEW hm AS
       SELECT h.n, h.order_id, h.tenant_id, h.created_at + m.after AS at, m.i, m.routing_key, m.exchange, m.publisher, m.consumers,
              pg_temp.hid('hist-msg-' || m.routing_key || '-' || m.i || '-' || h.n) AS message_id
         FROM h CROSS JOIN LATERAL (VALUES ${MESSAGES.map((m, i) => `(${i + 1}, ${lit(m.key)}, ${lit(m.exchange)}, ${lit(m.from)}, ARRAY[${m.to.map(lit).join(', ')}]::text[], interval ${lit(m.after)})`).join(', ')})
              AS m(i, routing_key, exchange, publisher, consumers, after)
        WHERE h.status = 'delivered'`,
  ];
}

const MESSAGES = [
  { key: OrderPlacedV1.routingKey, exchange: OrderPlacedV1.exchange, from: 'orders', to: ['returns', 'notifications'], after: '0 s' },
  { key: ReviewOrderV1.routingKey, exchange: ReviewOrderV1.exchange, from: 'orders', to: ['orders'], after: '0.1 s' },
  { key: ReserveStockV1.routingKey, exchange: ReserveStockV1.exchange, from: 'orders', to: ['inventory'], after: '0.3 s' },
  { key: StockReservedV1.routingKey, exchange: StockReservedV1.exchange, from: 'inventory', to: ['orders'], after: '0.4 s' },
  { key: CreateOutboundNotesV1.routingKey, exchange: CreateOutboundNotesV1.exchange, from: 'orders', to: ['warehouse'], after: '0.5 s' },
  { key: OutboundNotesCreatedV1.routingKey, exchange: OutboundNotesCreatedV1.exchange, from: 'warehouse', to: ['orders', 'notifications'], after: '0.6 s' },
  { key: OrderStatusChangedV1.routingKey, exchange: OrderStatusChangedV1.exchange, from: 'orders', to: ['notifications', 'returns'], after: '0.7 s' },
  { key: OutboundNoteShippedV1.routingKey, exchange: OutboundNoteShippedV1.exchange, from: 'warehouse', to: ['orders', 'inventory', 'returns', 'notifications'], after: '2 hours' },
  { key: OrderStatusChangedV1.routingKey, exchange: OrderStatusChangedV1.exchange, from: 'orders', to: ['notifications', 'returns'], after: '2 hours 1 s' },
  { key: ShipmentDeliveredV1.routingKey, exchange: ShipmentDeliveredV1.exchange, from: 'warehouse', to: ['orders', 'returns'], after: '2 days' },
  { key: OrderStatusChangedV1.routingKey, exchange: OrderStatusChangedV1.exchange, from: 'orders', to: ['notifications', 'returns'], after: '2 days 1 s' },
];
/** A message's index in MESSAGES (its first occurrence; 0 for one a delivered order never sends). */
const messageIndex = (key) => MESSAGES.findIndex((m) => m.key === key) + 1;
/** A message id as hm computes it (the saga's step log and the consumers' inboxes name the same ids). */
const msgId = (key) => `pg_temp.hid('hist-msg-' || ${lit(key)} || '-' || ${messageIndex(key)} || '-' || h.n)`;

/** The inbox (30 days) and outbox (7 days) rows of a service, from hm. */
function messaging(service, { anchor }) {
  const T0 = `${lit(anchor)}::timestamptz`;
  return [
    {
      table: 'inbox_message',
      sql: `INSERT INTO inbox_message (message_id, routing_key, correlation_id, processed_at, handler, attempts, duration_ms, trace_id)
            SELECT message_id, routing_key, order_id::text, at + interval '20 ms', ${lit(`${service}.history`)}, 1, 2 + n % 20, md5('trace-' || n)
              FROM hm WHERE ${lit(service)} = ANY(consumers) AND at > ${T0} - interval '${INBOX_DAYS} days' AND at <= ${T0}`,
    },
    {
      table: 'outbox_message',
      sql: `INSERT INTO outbox_message (id, exchange, routing_key, envelope, headers, created_at, available_at, sent_at, attempts, correlation_id)
            SELECT message_id, exchange, routing_key,
                   json_build_object('id', message_id, 'type', routing_key, 'correlationId', order_id, 'occurredAt', at, 'tenantId', tenant_id, 'payload', json_build_object('orderId', order_id)),
                   jsonb_build_object('traceparent', '00-' || md5('trace-' || n) || '-' || substr(md5('span-' || n || '-' || i), 1, 16) || '-01'),
                   at, at, at + interval '15 ms', 1, order_id::text
              FROM hm WHERE publisher = ${lit(service)} AND at > ${T0} - interval '${OUTBOX_DAYS} days' AND at <= ${T0}
             ORDER BY n, i`,
    },
  ];
}

const catalogRows = (S, columns, values) =>
  `INSERT INTO catalog_item (${columns}) SELECT ${values} FROM generate_series(1, ${S}) AS k`;

/** The order saga's step log of an order, by its outcome. */
const SAGA_STEPS = {
  delivered: [
    ['message_received', ReviewOrderV1.routingKey, 'reviewing', null, '0.1 s'],
    ['state_changed', null, 'reviewing', 'reserving', '0.2 s'],
    ['command_sent', ReserveStockV1.routingKey, 'reserving', null, '0.3 s'],
    ['message_received', StockReservedV1.routingKey, 'reserving', null, '0.4 s'],
    ['state_changed', null, 'reserving', 'releasing', '0.45 s'],
    ['command_sent', CreateOutboundNotesV1.routingKey, 'releasing', null, '0.5 s'],
    ['message_received', OutboundNotesCreatedV1.routingKey, 'releasing', null, '0.6 s'],
    ['state_changed', null, 'releasing', 'fulfilling', '0.65 s'],
    ['message_received', OutboundNoteShippedV1.routingKey, 'fulfilling', null, '2 hours'],
    ['state_changed', null, 'fulfilling', 'awaiting_delivery', '2 hours'],
    ['message_received', ShipmentDeliveredV1.routingKey, 'awaiting_delivery', null, '2 days'],
    ['state_changed', null, 'awaiting_delivery', 'completed', '2 days'],
  ],
  cancelled: [
    ['message_received', ReviewOrderV1.routingKey, 'reviewing', null, '0.1 s'],
    ['state_changed', null, 'reviewing', 'reserving', '0.2 s'],
    ['command_sent', ReserveStockV1.routingKey, 'reserving', null, '0.3 s'],
    ['message_received', StockReservedV1.routingKey, 'reserving', null, '0.4 s'],
    ['compensation', null, 'releasing', null, '10 minutes'],
    ['state_changed', null, 'releasing', 'cancelling', '10 minutes'],
    ['command_sent', ReleaseStockV1.routingKey, 'cancelling', null, '10 minutes'],
    ['message_received', StockReleasedV1.routingKey, 'cancelling', null, '10 minutes 1 s'],
    ['state_changed', null, 'cancelling', 'cancelled', '10 minutes 1 s'],
  ],
  rejected: [
    ['message_received', ReviewOrderV1.routingKey, 'reviewing', null, '0.1 s'],
    ['state_changed', null, 'reviewing', 'rejected', '0.2 s'],
  ],
};
const STATUS_HISTORY = {
  delivered: [
    ['received', '0 s'],
    ['approved', '0.2 s'],
    ['reserved', '0.4 s'],
    ['released', '0.6 s'],
    ['shipped', '2 hours'],
    ['delivered', '2 days'],
  ],
  cancelled: [
    ['received', '0 s'],
    ['approved', '0.2 s'],
    ['reserved', '0.4 s'],
    ['cancelled', '10 minutes 1 s'],
  ],
  rejected: [
    ['received', '0 s'],
    ['rejected', '0.2 s'],
  ],
};
/** An outcome's time (after placement) of its last change. */
const SETTLED_AFTER = `CASE h.status WHEN 'delivered' THEN interval '2 days' WHEN 'cancelled' THEN interval '10 minutes 1 s' ELSE interval '0.2 s' END`;

/** A VALUES list of (status, i, …row) for the rows of each outcome; `tuple` renders one row's columns. */
function valuesByStatus(table, tuple) {
  return `(VALUES ${Object.entries(table)
    .flatMap(([status, rows]) => rows.map((row, i) => `(${lit(status)}, ${i + 1}, ${tuple(row)})`))
    .join(', ')})`;
}
const textOrNull = (v) => (v === null ? 'NULL::text' : lit(v));

const PLANS = {
  orders(ctx) {
    const { skus: S, platforms: P } = ctx;
    const steps = valuesByStatus(
      SAGA_STEPS,
      ([kind, type, from, to, after]) => `${lit(kind)}, ${textOrNull(type)}, ${type ? messageIndex(type) : 0}, ${textOrNull(from)}, ${textOrNull(to)}, interval ${lit(after)}`,
    );
    const history = valuesByStatus(STATUS_HISTORY, ([name, after]) => `${lit(name)}, interval ${lit(after)}`);
    return [
      ...views(ctx).map((sql) => ({ table: null, sql })),
      {
        table: 'tenant_policy',
        sql: `INSERT INTO tenant_policy (tenant_id, name, price_tolerance_pct, review_amount_threshold, updated_at)
              SELECT pg_temp.hid('hist-platform-' || p)::text, 'History platform ' || p, 5, 5000, ${lit(ctx.anchor)}::timestamptz - interval '400 days'
                FROM generate_series(0, ${P - 1}) AS p`,
      },
      {
        table: 'catalog_item',
        sql: catalogRows(S, 'sku, name, list_price, currency, sellable, returnable, updated_at', `${sku('k')}, 'History item ' || k, 5 + k % 20, 'EUR', true, true, ${lit(ctx.anchor)}::timestamptz - interval '400 days'`),
      },
      {
        table: 'sales_order',
        sql: `INSERT INTO sales_order (id, tenant_id, external_id, channel, status, customer_id, customer, currency, total_amount, shipping_address,
                                       payment_method, payment_status, payment_amount, review, created_at, updated_at)
              SELECT h.order_id, h.tenant_id, 'HIST-' || h.n, h.channel, h.status, h.customer_id,
                     jsonb_build_object('id', h.customer_id, 'name', 'Customer ' || h.customer_id, 'email', lower(h.customer_id) || '@history.test', 'phone', '+32470000001'),
                     'EUR', ${orderTotal('h', S)}, '{"line1": "Kouter 1", "city": "Ghent", "postalCode": "9000", "country": "BE"}'::jsonb, 'card', 'paid', ${orderTotal('h', S)},
                     jsonb_build_object('outcome', CASE WHEN h.status = 'rejected' THEN 'rejected' ELSE 'approved' END, 'reasons', '[]'::jsonb,
                                        'reviewedAt', h.created_at + interval '0.2 s'),
                     h.created_at, h.created_at + ${SETTLED_AFTER}
                FROM h`,
      },
      {
        table: 'order_line',
        sql: `INSERT INTO order_line (order_id, line_no, sku, quantity, unit_price) SELECT order_id, l, sku, quantity, unit_price FROM hl`,
      },
      {
        table: 'order_status_entry',
        sql: `INSERT INTO order_status_entry (order_id, status, reason, at)
              SELECT h.order_id, s.name, CASE s.name WHEN 'rejected' THEN 'history: rejected by the review' WHEN 'cancelled' THEN 'history: cancelled by the platform' END,
                     h.created_at + s.after
                FROM h CROSS JOIN LATERAL (SELECT * FROM ${history} AS v(status, i, name, after) WHERE v.status = h.status ORDER BY v.i) s`,
      },
      {
        table: 'saga',
        sql: `INSERT INTO saga (id, type, state, version, deadline_at, data, created_at, updated_at)
              SELECT h.order_id, 'order', CASE h.status WHEN 'delivered' THEN 'completed' ELSE h.status END,
                     CASE h.status WHEN 'delivered' THEN 6 WHEN 'cancelled' THEN 5 ELSE 2 END, NULL, '{}'::jsonb, h.created_at, h.created_at + ${SETTLED_AFTER}
                FROM h`,
      },
      {
        table: 'saga_step',
        sql: `INSERT INTO saga_step (saga_id, at, kind, message_type, message_id, from_state, to_state, reason, trace_id)
              SELECT h.order_id, h.created_at + s.after, s.kind, s.message_type,
                     CASE WHEN s.message_type IS NOT NULL THEN pg_temp.hid('hist-msg-' || s.message_type || '-' || s.m || '-' || h.n) END,
                     s.from_state, s.to_state, CASE s.kind WHEN 'compensation' THEN 'cancelled by the platform' END, md5('trace-' || h.n)
                FROM h CROSS JOIN LATERAL (SELECT * FROM ${steps} AS v(status, i, kind, message_type, m, from_state, to_state, after) WHERE v.status = h.status ORDER BY v.i) s`,
      },
      {
        table: 'order_reservation',
        sql: `INSERT INTO order_reservation (reservation_id, order_id, warehouse, sku, quantity, batch, released)
              SELECT pg_temp.hid('hist-reservation-' || n || '-' || l)::text, order_id, 'HIST-WH-' || note_no, sku, quantity, 1, status = 'cancelled'
                FROM hl WHERE status <> 'rejected'`,
      },
      {
        table: 'order_outbound_note',
        sql: `INSERT INTO order_outbound_note (note_id, order_id, warehouse, status, lines, updated_at, batch)
              SELECT hn.note_id::text, hn.order_id, hn.warehouse, 'shipped',
                     ${linesJson('hn', S, 'hn.note_no')}, hn.created_at + interval '2 hours', 1
                FROM hn`,
      },
      {
        table: 'order_shipment',
        sql: `INSERT INTO order_shipment (shipment_id, order_id, note_id, warehouse, carrier, tracking_number, shipped_at, delivered_at)
              SELECT shipment_id::text, order_id, note_id::text, warehouse, 'history-post', 'HTRK-' || n || '-' || note_no, created_at + interval '2 hours', created_at + interval '2 days' FROM hn`,
      },
      ...messaging('orders', ctx),
    ];
  },

  inventory(ctx) {
    const { skus: S } = ctx;
    const T0 = `${lit(ctx.anchor)}::timestamptz`;
    return [
      ...views(ctx).map((sql) => ({ table: null, sql })),
      {
        table: 'warehouse',
        sql: `INSERT INTO warehouse (code, name, priority, created_at, updated_at)
              SELECT 'HIST-WH-' || w, 'History warehouse ' || w, 10 + w, ${T0} - interval '400 days', ${T0} - interval '400 days' FROM generate_series(1, 2) AS w`,
      },
      {
        table: 'catalog_item',
        sql: catalogRows(S, 'sku, name, list_price, currency, sellable, returnable, created_at, updated_at', `${sku('k')}, 'History item ' || k, 5 + k % 20, 'EUR', true, true, ${T0} - interval '400 days', ${T0} - interval '400 days'`),
      },
      {
        table: 'stock_level',
        sql: `INSERT INTO stock_level (sku, warehouse, on_hand, reserved, quarantined, updated_at)
              SELECT ${sku('k')}, 'HIST-WH-' || w, 1000 + k % 500, 0, 0, ${T0} - interval '1 day' FROM generate_series(1, ${S}) AS k CROSS JOIN generate_series(1, 2) AS w`,
      },
      {
        table: 'reservation_request',
        sql: `INSERT INTO reservation_request (order_id, tenant_id, lines, outcome, requested_at, attempt, on_shortage, correlation_id)
              SELECT h.order_id::text, h.tenant_id,
                     ${linesJson('h', S)},
                     'reserved', h.created_at + interval '0.3 s', 1, 'reject', h.order_id::text
                FROM h WHERE h.status <> 'rejected'`,
      },
      {
        table: 'reservation',
        sql: `INSERT INTO reservation (id, order_id, tenant_id, sku, warehouse, quantity, status, settled_reference, created_at, settled_at, attempt)
              SELECT pg_temp.hid('hist-reservation-' || n || '-' || l), order_id::text, tenant_id, sku, 'HIST-WH-' || note_no, quantity,
                     CASE status WHEN 'delivered' THEN 'consumed' ELSE 'released' END,
                     CASE status WHEN 'delivered' THEN pg_temp.hid('hist-note-' || n || '-' || note_no)::text ELSE 'cancelled' END,
                     created_at + interval '0.35 s', created_at + CASE status WHEN 'delivered' THEN interval '2 hours' ELSE interval '10 minutes' END, 1
                FROM hl WHERE status <> 'rejected'`,
      },
      {
        // The ledger: a reservation, then its shipment or release, per line.
        table: 'stock_movement',
        sql: `INSERT INTO stock_movement (at, sku, warehouse, kind, on_hand_delta, reserved_delta, on_hand_after, reserved_after, order_id, reference)
              SELECT hl.created_at + m.after, hl.sku, 'HIST-WH-' || hl.note_no, m.kind, m.on_hand * hl.quantity, m.reserved * hl.quantity,
                     1000 + hl.k % 500 + m.on_hand * hl.quantity, CASE m.kind WHEN 'reserve' THEN hl.quantity ELSE 0 END, hl.order_id::text,
                     CASE m.kind WHEN 'ship' THEN pg_temp.hid('hist-note-' || hl.n || '-' || hl.note_no)::text END
                FROM hl CROSS JOIN LATERAL (VALUES (1, 'reserve', 0, 1, interval '0.35 s'),
                                                   (2, CASE hl.status WHEN 'delivered' THEN 'ship' ELSE 'release' END,
                                                       CASE hl.status WHEN 'delivered' THEN -1 ELSE 0 END, -1,
                                                       CASE hl.status WHEN 'delivered' THEN interval '2 hours' ELSE interval '10 minutes' END)) AS m(i, kind, on_hand, reserved, after)
               WHERE hl.status <> 'rejected'`,
      },
      {
        table: 'stock_shipment',
        sql: `INSERT INTO stock_shipment (note_id, order_id, warehouse, shipment_id, shipped_at, recorded_at)
              SELECT note_id::text, order_id::text, warehouse, shipment_id::text, created_at + interval '2 hours', created_at + interval '2 hours 1 s' FROM hn`,
      },
      {
        table: 'released_order',
        sql: `INSERT INTO released_order (order_id, tenant_id, reason, released_at)
              SELECT order_id::text, tenant_id, 'cancelled', created_at + interval '10 minutes' FROM h WHERE status = 'cancelled'`,
      },
      ...messaging('inventory', ctx),
    ];
  },

  warehouse(ctx) {
    return [
      ...views(ctx).map((sql) => ({ table: null, sql })),
      {
        table: 'outbound_note',
        sql: `INSERT INTO outbound_note (id, order_id, external_id, tenant_id, warehouse, status, recipient_name, ship_to, created_at,
                                         confirmed_at, picking_at, packed_at, shipped_at, batch, recipient_phone)
              SELECT note_id, order_id::text, 'HIST-' || n, tenant_id, warehouse, 'shipped', 'Customer ' || customer_id,
                     '{"line1": "Kouter 1", "city": "Ghent", "postalCode": "9000", "country": "BE"}'::jsonb, created_at + interval '0.55 s',
                     created_at + interval '1 hour', created_at + interval '80 minutes', created_at + interval '100 minutes', created_at + interval '2 hours', 1, '+32470000001'
                FROM hn ORDER BY n, note_no`,
      },
      {
        table: 'outbound_note_line',
        sql: `INSERT INTO outbound_note_line (note_id, line_no, sku, quantity)
              SELECT pg_temp.hid('hist-note-' || n || '-' || note_no), l, sku, quantity FROM hl WHERE status = 'delivered'`,
      },
      {
        table: 'shipment',
        sql: `INSERT INTO shipment (id, note_id, order_id, tenant_id, carrier, tracking_number, shipped_at, delivered_at)
              SELECT shipment_id, note_id, order_id::text, tenant_id, 'history-post', 'HTRK-' || n || '-' || note_no, created_at + interval '2 hours', created_at + interval '2 days'
                FROM hn`,
      },
      {
        table: 'cancelled_order',
        sql: `INSERT INTO cancelled_order (order_id, tenant_id, reason, cancelled_at)
              SELECT order_id::text, tenant_id, 'cancelled by the platform', created_at + interval '10 minutes' FROM h WHERE status = 'cancelled'`,
      },
      ...messaging('warehouse', ctx),
    ];
  },

  notifications(ctx) {
    const shipped = OutboundNoteShippedV1.routingKey;
    const created = OutboundNotesCreatedV1.routingKey;
    return [
      ...views(ctx).map((sql) => ({ table: null, sql })),
      {
        // Per delivered order: the warehouse's e-mail when its notes are created, the customer's when it ships.
        table: 'delivery',
        sql: `INSERT INTO delivery (id, source_message_id, channel, target, topic, tenant_id, order_id, payload, status, attempts, next_attempt_at,
                                    created_at, sent_at, correlation_id)
              SELECT pg_temp.hid('hist-delivery-' || h.n || '-' || d.i), CASE d.i WHEN 1 THEN ${msgId(created)} ELSE ${msgId(shipped)} END,
                     'email', CASE d.i WHEN 1 THEN 'warehouse@history.test' ELSE lower(h.customer_id) || '@history.test' END,
                     d.topic, h.tenant_id, h.order_id::text,
                     jsonb_build_object('subject', d.subject || ' HIST-' || h.n, 'body', jsonb_build_object('type', d.event, 'orderId', h.order_id)),
                     'sent', 1, NULL, h.created_at + d.after, h.created_at + d.after + interval '1 s', h.order_id::text
                FROM h CROSS JOIN LATERAL (VALUES (1, 'outbound-notes-created', 'New outbound note for', ${lit(created)}, interval '0.6 s'),
                                                  (2, 'order-shipped', 'Your order has shipped:', ${lit(shipped)}, interval '2 hours')) AS d(i, topic, subject, event, after)
               WHERE h.status = 'delivered'`,
      },
      {
        table: 'delivery_attempt',
        sql: `INSERT INTO delivery_attempt (delivery_id, attempt, at, duration_ms, outcome) SELECT id, 1, sent_at, 40 + (attempts * 7) % 50, 'sent' FROM delivery WHERE status = 'sent'`,
      },
      ...messaging('notifications', ctx),
    ];
  },

  returns(ctx) {
    const { skus: S, platforms: P } = ctx;
    const T0 = `${lit(ctx.anchor)}::timestamptz`;
    return [
      ...views(ctx).map((sql) => ({ table: null, sql })),
      { table: 'returnable_sku', sql: `INSERT INTO returnable_sku (sku, returnable, updated_at) SELECT ${sku('k')}, true, ${T0} - interval '400 days' FROM generate_series(1, ${S}) AS k` },
      {
        table: 'return_policy',
        sql: `INSERT INTO return_policy (tenant_id, window_days, review_reasons, review_above, scrap_refund_percent, updated_at)
              SELECT pg_temp.hid('hist-platform-' || p)::text, 30, '{}'::text[], NULL, 0, ${T0} - interval '400 days' FROM generate_series(0, ${P - 1}) AS p`,
      },
      {
        table: 'returnable_order',
        sql: `INSERT INTO returnable_order (order_id, tenant_id, external_id, channel, currency, customer, payment_status, total_amount, placed_at)
              SELECT h.order_id, h.tenant_id, 'HIST-' || h.n, h.channel, 'EUR',
                     jsonb_build_object('id', h.customer_id, 'name', 'Customer ' || h.customer_id, 'email', lower(h.customer_id) || '@history.test'), 'paid', ${orderTotal('h', S)}, h.created_at
                FROM h WHERE h.status <> 'rejected'`,
      },
      {
        table: 'returnable_order_line',
        sql: `INSERT INTO returnable_order_line (order_id, sku, unit_price, ordered) SELECT order_id, sku, unit_price, quantity FROM hl WHERE status <> 'rejected'`,
      },
      {
        table: 'returnable_shipment',
        sql: `INSERT INTO returnable_shipment (note_id, order_id, warehouse, lines, shipped_at, delivered_at)
              SELECT hn.note_id::text, hn.order_id, hn.warehouse, ${linesJson('hn', S, 'hn.note_no')}, hn.created_at + interval '2 hours', hn.created_at + interval '2 days'
                FROM hn`,
      },
      {
        // 2 % of delivered orders come back (their first line, one unit, refunded).
        table: 'return_request',
        sql: `INSERT INTO return_request (id, rma_number, tenant_id, order_id, status, resolution, amount, currency, review_reasons, status_reason, refund_amount, created_at, updated_at)
              SELECT pg_temp.hid('hist-return-' || n), 'RMA-2025-' || lpad(n::text, 7, '0'), tenant_id, order_id, 'refunded', 'refund', 5 + k % 20, 'EUR', '{}'::text[], NULL,
                     5 + k % 20, created_at + interval '5 days', created_at + interval '12 days'
                FROM hl WHERE status = 'delivered' AND n % 50 = 10 AND l = 1 AND created_at < ${T0} - interval '12 days'`,
      },
      {
        table: 'return_line',
        sql: `INSERT INTO return_line (return_id, line_no, sku, quantity, reason_code) SELECT pg_temp.hid('hist-return-' || n), 1, sku, 1, 'damaged' FROM hl WHERE status = 'delivered' AND n % 50 = 10 AND l = 1 AND created_at < ${T0} - interval '12 days'`,
      },
      ...messaging('returns', ctx),
    ];
  },

  // The gateway keeps no orders: its platforms (the history platforms, for API keys), and the
  // idempotency records only for 24 hours — history ends 49 hours before the load, so none.
  gateway(ctx) {
    const { platforms: P } = ctx;
    const T0 = `${lit(ctx.anchor)}::timestamptz`;
    return [
      ...views(ctx).map((sql) => ({ table: null, sql })),
      {
        table: 'platform',
        sql: `INSERT INTO platform (id, name, price_tolerance_pct, review_amount_threshold, created_at)
              SELECT pg_temp.hid('hist-platform-' || p), 'History platform ' || p, 5, 5000, ${T0} - interval '400 days' FROM generate_series(0, ${P - 1}) AS p`,
      },
      ...messaging('gateway', ctx),
    ];
  },
};
