// Saga timeline benchmark: how fast do `GET /v1/sagas/{id}` and `skald trace` answer with 100,000
// sagas' history in the databases (issue 11: under a second)?
//
// One run:
//   1. starts the six built services on scratch databases (bench_trace_<service>_<run id>) and a
//      vhost of the run's own, as the orders benchmark does, and makes a staff key of role ops;
//   2. loads N sagas' history straight into each service's database with INSERT … SELECT over
//      generate_series (seconds, not the hours placing N orders would take), shaped as a finished
//      order saga leaves it: orders — the saga row, 8 steps, 4 handled and 4 published messages;
//      inventory and warehouse — 3 handled and 3 published each; returns — 3 handled; notifications
//      — 4 handled and 4 deliveries; one saga in ten still waiting, with a deadline. Then ANALYZE.
//      (The business rows — orders, notes, stock — are not loaded: the timeline never reads them);
//   3. asks the timeline of `--requests` random sagas through the gateway, one after another, and
//      runs `skald trace` (a process per call, as on-call does) for `--traces` of them;
//   4. prints rows loaded, load time, and p50/p99/max of both.
//
// Usage: npm run bench:trace [-- --sagas=100000 --requests=300 --traces=20]
// Servers: TEST_POSTGRES_URL, RABBITMQ_URL. Prints figures and exits 0 (no target is asserted);
// 1 only when it breaks. Everything it created is removed in every case.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { dropDatabase } from '@skald/persistence';
import { createTestVhost } from '@skald/testing';
import pg from 'pg';
import { Pool } from 'undici';
import { freePort, gatewayUpstreams, serviceDir, SERVICES, startSuite, stopSuite } from '../../scripts/lib/suite.mjs';
import { Cleanup } from '../lib/cleanup.mjs';
import { intSetting } from '../lib/settings.mjs';
import { fixed, formatTable, summarize } from '../lib/stats.mjs';

const run = promisify(execFile);
const RUN_ID = randomBytes(4).toString('hex');
const NAMES = SERVICES.map((s) => s.name);
const config = {
  sagas: intSetting('sagas', 100_000),
  requests: intSetting('requests', 300),
  traces: intSetting('traces', 20),
  postgresServer: (process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432').replace(/\/$/, ''),
  rabbitmqUrl: process.env.RABBITMQ_URL ?? process.env.TEST_RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672',
};

// The saga i's id: the same in every database (it is the correlation id of all its records).
const SAGA_ID = `md5('bench-saga-' || i)::uuid`;
const MESSAGE_ID = (salt) => `md5('${salt}-' || i || '-' || n)::uuid`;
// Spread over the last 20 days (inside the inbox's and, for the outbox, the relay's retention).
const AT = `now() - (i % 28800) * interval '1 minute' + n * interval '150 milliseconds'`;
const TRACE = `md5('trace-' || i)`;

const inboxRows = (salt, perSaga, routingKey) => `
  INSERT INTO inbox_message (message_id, routing_key, correlation_id, processed_at, handler, attempts, duration_ms, trace_id)
  SELECT ${MESSAGE_ID(salt)}, '${routingKey}', ${SAGA_ID}::text, ${AT}, 'BenchHandler.on' || n, 1, 3 + n, ${TRACE}
    FROM generate_series(1, $1::int) i, generate_series(1, ${perSaga}) n`;
const outboxRows = (salt, perSaga, routingKey) => `
  INSERT INTO outbox_message (id, exchange, routing_key, envelope, headers, correlation_id, created_at, available_at, sent_at)
  SELECT ${MESSAGE_ID(salt)}, 'skald.events', '${routingKey}', '{}',
         jsonb_build_object('traceparent', '00-' || ${TRACE} || '-' || substr(md5(i || '-' || n), 1, 16) || '-01'),
         ${SAGA_ID}::text, ${AT}, ${AT}, ${AT}
    FROM generate_series(1, $1::int) i, generate_series(1, ${perSaga}) n`;

/** What each service's database gets, per saga, as statements taking the saga count as $1. */
const LOADS = {
  orders: [
    `INSERT INTO saga (id, type, state, version, deadline_at, data, created_at, updated_at)
     SELECT ${SAGA_ID}, 'order', CASE WHEN i % 10 = 0 THEN 'fulfilling' ELSE 'completed' END, 9,
            CASE WHEN i % 10 = 0 THEN now() + interval '2 days' END, '{}', now() - (i % 28800) * interval '1 minute', now() - (i % 28800) * interval '1 minute'
       FROM generate_series(1, $1::int) i`,
    `INSERT INTO saga_step (saga_id, at, kind, message_type, message_id, from_state, to_state, trace_id)
     SELECT ${SAGA_ID}, ${AT}, CASE WHEN n % 2 = 0 THEN 'state_changed' ELSE 'command_sent' END, 'bench.step.v1', ${MESSAGE_ID('step')},
            'state' || n, 'state' || (n + 1), ${TRACE}
       FROM generate_series(1, $1::int) i, generate_series(1, 8) n`,
    inboxRows('orders-in', 4, 'inventory.stock.reserved.v1'),
    outboxRows('orders-out', 4, 'orders.order.status-changed.v1'),
  ],
  inventory: [inboxRows('inventory-in', 3, 'inventory.reserve-stock.v1'), outboxRows('inventory-out', 3, 'inventory.stock.reserved.v1')],
  warehouse: [inboxRows('warehouse-in', 3, 'warehouse.create-outbound-notes.v1'), outboxRows('warehouse-out', 3, 'warehouse.outbound-note.progressed.v1')],
  returns: [inboxRows('returns-in', 3, 'orders.order.status-changed.v1')],
  notifications: [
    inboxRows('notifications-in', 4, 'orders.order.status-changed.v1'),
    `INSERT INTO delivery (id, source_message_id, channel, target, topic, payload, status, attempts, next_attempt_at, created_at, sent_at, correlation_id)
     SELECT ${MESSAGE_ID('delivery')}, ${MESSAGE_ID('notifications-in')}, 'email', 'customer' || i || '@bench.test', '',
            jsonb_build_object('subject', 'Your order', 'text', 'hello', 'html', '<p>hello</p>'), 'sent', 1, NULL, ${AT}, ${AT}, ${SAGA_ID}::text
       FROM generate_series(1, $1::int) i, generate_series(1, 4) n`,
  ],
};

const cleanup = new Cleanup();
process.once('SIGINT', () => {
  void cleanup.run().finally(() => process.exit(130));
});

try {
  await main();
  await cleanup.run();
} catch (error) {
  console.error(`bench:trace failed: ${error.stack ?? error.message}`);
  await cleanup.run();
  process.exitCode = 1;
}

async function main() {
  const started = performance.now();
  const vhost = await createTestVhost('bench-trace', config.rabbitmqUrl);
  cleanup.defer(() => vhost.remove(), 'remove vhost');
  const ports = Object.fromEntries(await Promise.all(NAMES.map(async (name) => [name, await freePort()])));
  const url = (name) => `http://127.0.0.1:${ports[name]}`;
  const databases = Object.fromEntries(NAMES.map((name) => [name, `${config.postgresServer}/bench_trace_${name}_${RUN_ID}`]));
  cleanup.defer(async () => {
    for (const databaseUrl of Object.values(databases)) await dropDatabase(databaseUrl);
  }, 'drop service databases');
  const webhookSecretKey = randomBytes(32).toString('base64');
  const suite = await startSuite((name) => ({
    PORT: String(ports[name]),
    DATABASE_URL: databases[name],
    RABBITMQ_URL: vhost.url,
    LOG_LEVEL: 'warn',
    SHUTDOWN_TIMEOUT_MS: '10000',
    // One timeline at a time needs a few connections per service; a machine shared with test runs
    // has no PostgreSQL connections to spare for six default pools of 20.
    DATABASE_POOL_SIZE: process.env.DATABASE_POOL_SIZE ?? '6',
    MESSAGING_PREFETCH: process.env.MESSAGING_PREFETCH ?? '4',
    WEBHOOK_SECRET_KEY: webhookSecretKey,
    ...(name === 'gateway' ? { ...gatewayUpstreams(url), RATE_LIMIT_PER_SECOND: '1000000', RATE_LIMIT_BURST: '2000000' } : {}),
  }));
  cleanup.defer(() => stopSuite(suite), 'stop services');
  console.log(`suite       six services ready in ${fixed((performance.now() - started) / 1000, 1)} s (databases bench_trace_<service>_${RUN_ID})`);

  // --- 2. N sagas' history ------------------------------------------------------------------------
  const loadStarted = performance.now();
  const loaded = await Promise.all(
    Object.entries(LOADS).map(async ([service, statements]) => {
      const client = new pg.Client({ connectionString: databases[service] });
      await client.connect();
      try {
        // The timeline reads none of the business tables (orders' sales_order, which the saga row
        // references): foreign key triggers are skipped for the load (superuser, this session only).
        await client.query(`SET session_replication_role = replica`);
        let rows = 0;
        for (const statement of statements) rows += (await client.query(statement, [config.sagas])).rowCount ?? 0;
        await client.query('ANALYZE');
        return [service, rows];
      } finally {
        await client.end();
      }
    }),
  );
  const loadSeconds = (performance.now() - loadStarted) / 1000;
  console.log(formatTable(['service', 'rows loaded'], loaded.map(([service, rows]) => [service, rows.toLocaleString('en')])));
  console.log(`load        ${config.sagas.toLocaleString('en')} sagas in ${fixed(loadSeconds, 1)} s`);

  // --- 3. timelines through the gateway and skald trace --------------------------------------------
  const { stdout } = await run(process.execPath, ['dist/cli.js', 'staff-key', 'create', '--roles', 'ops'], {
    cwd: serviceDir('gateway'),
    env: { PATH: process.env.PATH ?? '', DATABASE_URL: databases.gateway },
  });
  const key = stdout.trim().split('\n').at(-1).trim();
  const ids = await sagaIds(databases.orders, config.requests);
  const gateway = new Pool(url('gateway'), { connections: 1 });
  cleanup.defer(() => gateway.close(), 'close HTTP pool');
  const api = [];
  let entries = 0;
  for (const id of ids) {
    const t0 = performance.now();
    const res = await gateway.request({ method: 'GET', path: `/v1/sagas/${id}`, headers: { authorization: `Bearer ${key}` } });
    const body = await res.body.json();
    api.push(performance.now() - t0);
    if (res.statusCode !== 200 || body.gaps.length > 0) throw new Error(`GET /v1/sagas/${id}: ${res.statusCode} ${JSON.stringify(body).slice(0, 300)}`);
    entries += body.entries.length;
  }
  const cli = [];
  for (const id of ids.slice(0, config.traces)) {
    const t0 = performance.now();
    await run(process.execPath, ['dist/cli.js', 'trace', id], {
      cwd: serviceDir('gateway'),
      env: { PATH: process.env.PATH ?? '', SKALD_URL: url('gateway'), SKALD_API_KEY: key },
    });
    cli.push(performance.now() - t0);
  }

  // --- 4. figures -------------------------------------------------------------------------------
  const row = (name, samples) => {
    const s = summarize(samples);
    return [name, String(s.count), fixed(s.p50, 1), fixed(s.p99, 1), fixed(s.max, 1)];
  };
  console.log(`timeline    ${fixed(entries / ids.length, 1)} entries per saga, from six services`);
  console.log(formatTable(['ms', 'calls', 'p50', 'p99', 'max'], [row('GET /v1/sagas/{id}', api), row('skald trace (process)', cli)]));
}

/** `count` saga ids picked at random among those loaded. */
async function sagaIds(databaseUrl, count) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query(`SELECT id FROM saga TABLESAMPLE SYSTEM_ROWS($1)`, [count]).catch(() =>
      client.query(`SELECT id FROM saga ORDER BY random() LIMIT $1`, [count]),
    );
    return rows.map((r) => r.id);
  } finally {
    await client.end();
  }
}
