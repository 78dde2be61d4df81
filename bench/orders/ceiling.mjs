// The ceiling: how many "orders" per second this machine's PostgreSQL and RabbitMQ can carry when
// each order costs exactly the physical work the platform measured for one real order — the same
// number of small commits and the same number of broker hops — done by the least code possible:
// bare `pg` and `amqplib`, no framework, no validation, no ORM, no HTTP.
//
// Shape of one order, sequenced like a saga:
//   step 0 (the "intake"): its share of the commits, then a confirmed persistent publish of hop 1;
//   hop k (k = 1…H): a consumer takes the message from a durable quorum queue, does its share of
//   the commits, publishes hop k+1 with a publisher confirm, and only then acks hop k;
//   the consumer of hop H completes the order.
// Hops go round robin over six quorum queues, one per "service" with its own connection (as the
// six services have), so the broker gets the same parallelism as with the platform. C orders are
// in flight at once (a closed loop, like the platform run), so at most C steps run at any time.
//
// A commit is `BEGIN; INSERT; COMMIT` on a scratch table (a write, flushed to the WAL like the
// platform's); when the platform run could tell its read-only transactions apart (see run.mjs),
// those are done here as single-statement primary-key reads.
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { createScratchDatabase } from '@skald/persistence';
import amqplib from 'amqplib';
import pg from 'pg';
import { cpuSnapshot, cpuUsage } from '../lib/cpu.mjs';
import { sampleProcesses, usageBetween } from '../lib/proc.mjs';
import { summarize } from '../lib/stats.mjs';

const ADMIN_SHUTDOWN = '57P01';
const SERVICES = 6;

/**
 * @param {object} options
 * @param {string} options.rabbitmqUrl       the run's vhost
 * @param {number} options.orders            orders to run (warm-up included)
 * @param {number} options.concurrency       orders in flight
 * @param {number} options.warmup            completions before the measured window opens
 * @param {{writes: number, reads: number, hops: number}} options.perOrder  means; fractions are spread evenly over orders
 * @param {number} options.prefetch          per queue, as MESSAGING_PREFETCH
 * @param {number} options.messageBytes      body size, like the platform's envelopes
 * @param {number} options.stallMs           no completion for this long fails the run
 * @param {() => boolean} options.interrupted
 * @param {import('../lib/cleanup.mjs').Cleanup} cleanup
 */
export async function runCeiling(options, cleanup) {
  const id = randomBytes(4).toString('hex');
  const db = await createScratchDatabase('bench_ceiling');
  cleanup.defer(() => db.drop(), 'drop ceiling database');
  const setup = new pg.Client({ connectionString: db.url });
  await setup.connect();
  try {
    // A primary key, as every platform table has: each insert also updates a b-tree.
    await setup.query(`CREATE TABLE ceiling_commit (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, order_no integer NOT NULL, step integer NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now())`);
    await setup.query(`INSERT INTO ceiling_commit (order_no, step) VALUES (-1, -1)`);
  } finally {
    await setup.end();
  }

  // One pool is enough: in a closed loop of C orders at most C steps hold a connection at once.
  const pool = new pg.Pool({ connectionString: db.url, max: options.concurrency + 2, application_name: `bench-ceiling-${id}` });
  // pool.end() resolves before its connections have closed, so dropping the database (WITH FORCE)
  // may terminate one still closing (57P01); an unhandled 'error' event would end the process.
  pool.on('error', (error) => {
    if (error.code !== ADMIN_SHUTDOWN) console.error(`ceiling pool: ${error.message}`);
  });
  cleanup.defer(() => pool.end(), 'close ceiling pool');

  const exchange = `bench.ceiling.${id}`;
  const queueName = (i) => `bench.ceiling.${id}.q${i}`;
  const connect = async (name) => {
    // noDelay as in the platform's AmqpConnection: with Nagle on, confirms and acks wait for delayed ACKs.
    const connection = await amqplib.connect(options.rabbitmqUrl, { noDelay: true, clientProperties: { connection_name: name } });
    connection.on('error', (error) => console.error(`${name}: ${error.message}`));
    cleanup.defer(() => connection.close().catch(() => undefined), `close ${name}`);
    return connection;
  };

  // Topology, deleted again at the end (the vhost goes too, but it may be the shared one).
  const admin = await connect(`bench-ceiling-${id}-admin`);
  const adminChannel = await admin.createChannel();
  await adminChannel.assertExchange(exchange, 'topic', { durable: true });
  for (let i = 0; i < SERVICES; i++) {
    // The same queue type, durability and delivery limit as a service's main queue.
    await adminChannel.assertQueue(queueName(i), { durable: true, arguments: { 'x-queue-type': 'quorum', 'x-delivery-limit': 20 } });
    await adminChannel.bindQueue(queueName(i), exchange, `hop.${i}`);
  }
  cleanup.defer(async () => {
    const channel = await admin.createChannel();
    for (let i = 0; i < SERVICES; i++) await channel.deleteQueue(queueName(i)).catch(() => undefined);
    await channel.deleteExchange(exchange).catch(() => undefined);
  }, 'delete ceiling queues');

  const publisherOf = async (connection) => {
    const channel = await connection.createConfirmChannel();
    channel.on('error', (error) => console.error(`ceiling publisher: ${error.message}`));
    return (hop, content) =>
      new Promise((resolve, reject) => {
        channel.publish(exchange, `hop.${hop % SERVICES}`, content, { persistent: true, contentType: 'application/json' }, (error) =>
          error ? reject(error) : resolve(),
        );
      });
  };

  const pad = 'x'.repeat(Math.max(0, options.messageBytes - 40));
  const body = (orderNo, hop) => Buffer.from(JSON.stringify({ o: orderNo, h: hop, pad }));
  const inFlight = new Map();
  let failure;
  const fail = (error) => {
    failure ??= error;
    for (const order of inFlight.values()) order.reject(error);
  };

  // Commits of one step: writes, each its own transaction, then the reads (single statements).
  const doStep = async (order, step) => {
    const writes = share(order.writes, step, order.hops + 1);
    const reads = share(order.reads, step, order.hops + 1);
    if (writes + reads === 0) return;
    const client = await pool.connect();
    try {
      let last = 1;
      for (let i = 0; i < writes; i++) {
        await client.query('BEGIN');
        const { rows } = await client.query('INSERT INTO ceiling_commit (order_no, step) VALUES ($1, $2) RETURNING id', [order.no, step]);
        await client.query('COMMIT');
        last = rows[0].id;
      }
      for (let i = 0; i < reads; i++) await client.query('SELECT order_no FROM ceiling_commit WHERE id = $1', [last]);
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  };

  // Six "services": each consumes its queue and publishes the next hop on its own connection.
  for (let i = 0; i < SERVICES; i++) {
    const connection = await connect(`bench-ceiling-${id}-service-${i}`);
    const publish = await publisherOf(connection);
    const channel = await connection.createChannel();
    channel.on('error', (error) => console.error(`ceiling consumer: ${error.message}`));
    await channel.prefetch(options.prefetch);
    await channel.consume(queueName(i), (message) => {
      if (!message) return;
      const { o, h } = JSON.parse(message.content.toString('utf8'));
      const order = inFlight.get(o);
      if (!order) {
        channel.ack(message);
        return;
      }
      (async () => {
        await doStep(order, h);
        if (h < order.hops) await publish(h + 1, body(o, h + 1));
        channel.ack(message);
        if (h === order.hops) order.resolve();
      })().catch((error) => {
        try {
          channel.nack(message, false, false);
        } catch {
          // the channel is closed already (the run is ending): nothing to settle
        }
        fail(error);
      });
    });
  }

  const intake = await connect(`bench-ceiling-${id}-intake`);
  const publishFirst = await publisherOf(intake);
  const timelines = [];
  let next = 0;
  let lastProgress = performance.now();
  let lastStart = 0;
  const watchdog = setInterval(() => {
    if (performance.now() - lastProgress > options.stallMs) fail(new Error(`ceiling: no order completed for ${options.stallMs} ms`));
  }, 1_000);
  const worker = async () => {
    while (next < options.orders && !failure) {
      if (options.interrupted()) throw new Error('interrupted');
      const no = next++;
      const order = {
        no,
        hops: Math.max(1, spread(options.perOrder.hops, no)),
        writes: spread(options.perOrder.writes, no),
        reads: spread(options.perOrder.reads, no),
        start: performance.now(),
      };
      lastStart = order.start;
      const done = new Promise((resolve, reject) => Object.assign(order, { resolve, reject }));
      inFlight.set(no, order);
      await doStep(order, 0);
      await publishFirst(1, body(no, 1));
      await done;
      inFlight.delete(no);
      lastProgress = performance.now();
      timelines.push({ start: order.start, end: lastProgress });
    }
  };
  const cpuBefore = cpuSnapshot();
  const benchBefore = sampleProcesses([process.pid]);
  const started = performance.now();
  try {
    const outcomes = await Promise.allSettled(Array.from({ length: options.concurrency }, worker));
    const rejected = outcomes.find((o) => o.status === 'rejected');
    if (failure) throw failure;
    if (rejected) throw rejected.reason;
  } finally {
    clearInterval(watchdog);
  }
  const finished = performance.now();
  const usage = cpuUsage(cpuBefore, cpuSnapshot());
  const app = usageBetween(benchBefore, sampleProcesses([process.pid]));
  // The pool's backends all started during the run (the pool starts empty): counted from zero.
  const { rows } = await pool.query(`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend'`);
  const backends = usageBetween(new Map(), sampleProcesses(rows.map((row) => row.pid)));
  const seconds = (finished - started) / 1000;
  const cpu = usage && {
    app: app.cpu,
    appSyscalls: app.syscalls,
    backends: backends.cpu,
    postgresOther: Math.max(0, (usage.postgres / 100) * seconds - backends.cpu),
    rabbitmq: (usage.rabbitmq / 100) * seconds,
    // The suite is stopped by now: "other" is only what else runs on the machine.
    otherPercent: usage.other,
    usage,
  };

  // Sustained rate, as for the platform: from the warm-up's last completion to the last order
  // started (until then all C workers are busy), completions in that window per second.
  const ends = timelines.map((t) => t.end).sort((a, b) => a - b);
  const windowStart = options.warmup > 0 ? ends[options.warmup - 1] : started;
  const windowEnd = Math.max(lastStart, windowStart + 1);
  const inWindow = ends.filter((t) => t > windowStart && t <= windowEnd).length;
  const measured = timelines.slice(options.warmup);
  return {
    orders: options.orders,
    throughput: inWindow / ((windowEnd - windowStart) / 1000),
    overall: options.orders / ((finished - started) / 1000),
    seconds,
    latency: summarize(measured.map((t) => t.end - t.start)),
    cpu,
    database: db.url.replace(/^.*\//, ''),
  };
}

/** Order n's whole number share of a mean: over any run of orders they add up to mean × count. */
function spread(mean, n) {
  return Math.round(mean * (n + 1)) - Math.round(mean * n);
}

/** Step s's share of `total` commits spread over `steps` steps. */
function share(total, step, steps) {
  return Math.floor((total * (step + 1)) / steps) - Math.floor((total * step) / steps);
}
