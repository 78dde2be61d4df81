// The ceiling: how many "orders" per second this machine's PostgreSQL and RabbitMQ can carry when
// each order costs exactly the physical work the platform measured for one real order — the same
// number of small commits, publishes and queue deliveries — done by the least code possible:
// bare `pg` and `amqplib`, no framework, no validation, no ORM, no HTTP.
//
// Shape of one order (`perOrder`, measured by run.mjs; every mean is spread evenly over orders):
//   the intake: its share of the commits, then a confirmed persistent publish of chain hop 1;
//   chain hop k (k = 1…chain): a consumer takes the message from a durable quorum queue, does its
//   share of the commits, publishes hop k+1 and this hop's side messages (at once, each with a
//   publisher confirm), and only then acks hop k;
//   after hop `operatorAfter` the warehouse operator works the order's notes: per note
//   `operatorSteps` steps one after another (each its share of the commits), the notes side by
//   side, as the platform's operators do; hop operatorAfter+1 follows when every note is done;
//   side messages (the publishes off the critical path: events nobody waits for) are consumed and
//   acked, nothing more; and a message may go to several queues at once (`fanout`, what a topic
//   exchange does for an event two services consume): the copies are handled in parallel.
//   The order is done when its last chain hop and every side delivery are done.
// The "fair" shape (run.mjs) has the platform's critical path as its chain, so one order's
// independent hops overlap as they do in the services. The "old" shape (one chain of every hop,
// no operator, no side messages, no fan-out) is kept to show what the comparison used to be.
// Hops go round robin over six quorum queues, one per "service" with its own connection (as the
// six services have), so the broker gets the same parallelism as with the platform. C orders are
// in flight at once (a closed loop, like the platform run).
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
 * @param {string} options.name              'old' or 'fair': names the queues and the messages
 * @param {string} options.rabbitmqUrl       the run's vhost
 * @param {number} options.orders            orders to run (warm-up included)
 * @param {number} options.concurrency       orders in flight
 * @param {number} options.warmup            completions before the measured window opens
 * @param {OrderShape} options.perOrder      means per order
 * @param {number} options.prefetch          per queue, as MESSAGING_PREFETCH
 * @param {number} options.messageBytes      body size, like the platform's envelopes
 * @param {number} options.stallMs           no completion for this long fails the run
 * @param {() => boolean} options.interrupted
 * @param {import('../lib/cleanup.mjs').Cleanup} cleanup
 *
 * @typedef {object} OrderShape
 * @property {number} writes         write commits
 * @property {number} reads          read-only transactions
 * @property {number} chain          hops one after another (the critical path)
 * @property {number} published      publishes in all (chain hops and side messages)
 * @property {number} delivered      queue deliveries in all (a fanned-out message counts once per queue)
 * @property {number} operatorAfter  chain hops before the operator acts (0 with no operator)
 * @property {number} notes          notes the operator works, side by side
 * @property {number} operatorSteps  steps per note, one after another
 */
export async function runCeiling(options, cleanup) {
  const id = `${options.name}-${randomBytes(4).toString('hex')}`;
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

  // One pool, large enough for every step that may run at once: C orders, each with up to a few
  // parallel deliveries or notes.
  const applicationName = `bench-ceiling-${id}`;
  const pool = new pg.Pool({ connectionString: db.url, max: options.concurrency * 3 + 2, application_name: applicationName });
  // pool.end() resolves before its connections have closed, so dropping the database (WITH FORCE)
  // may terminate one still closing (57P01); an unhandled 'error' event would end the process.
  pool.on('error', (error) => {
    if (error.code !== ADMIN_SHUTDOWN) console.error(`ceiling pool: ${error.message}`);
  });
  cleanup.defer(() => pool.end(), 'close ceiling pool');
  // Finds the pool's backends for the CPU figures; its own backend is not counted.
  const stats = new pg.Client({ connectionString: db.url, application_name: `${applicationName}-stats` });
  await stats.connect();
  cleanup.defer(() => stats.end().catch(() => undefined), 'close ceiling stats connection');

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
  const admin = await connect(`${applicationName}-admin`);
  const adminChannel = await admin.createChannel();
  await adminChannel.assertExchange(exchange, 'topic', { durable: true });
  for (let i = 0; i < SERVICES; i++) {
    // The same queue type, durability and delivery limit as a service's main queue.
    await adminChannel.assertQueue(queueName(i), { durable: true, arguments: { 'x-queue-type': 'quorum', 'x-delivery-limit': 20 } });
    // A message is routed as `to.<queue>.<queue>…`: one publish reaches every queue it names, as
    // an event bound by two services does on the platform's topic exchange.
    await adminChannel.bindQueue(queueName(i), exchange, `#.${i}.#`);
  }
  cleanup.defer(async () => {
    const channel = await admin.createChannel();
    for (let i = 0; i < SERVICES; i++) await channel.deleteQueue(queueName(i)).catch(() => undefined);
    await channel.deleteExchange(exchange).catch(() => undefined);
  }, 'delete ceiling queues');

  const publisherOf = async (connection) => {
    const channel = await connection.createConfirmChannel();
    channel.on('error', (error) => console.error(`ceiling publisher: ${error.message}`));
    return (queues, content) =>
      new Promise((resolve, reject) => {
        // No queue named: a publish nobody consumes (the platform has such events too); confirmed all the same.
        channel.publish(exchange, `to.${queues.length ? queues.join('.') : 'none'}`, content, { persistent: true, contentType: 'application/json' }, (error) =>
          error ? reject(error) : resolve(),
        );
      });
  };

  const pad = 'x'.repeat(Math.max(0, options.messageBytes - 50));
  const inFlight = new Map();
  let failure;
  const fail = (error) => {
    failure ??= error;
    for (const order of inFlight.values()) order.reject(error);
  };

  // One unit of the order's work (the intake, a delivery, an operator step): its share of the
  // commits — writes, each its own transaction, then the reads (single statements).
  const doStep = async (order) => {
    const unit = order.nextUnit++;
    const writes = share(order.writes, unit, order.units);
    const reads = share(order.reads, unit, order.units);
    if (writes + reads === 0) return;
    const client = await pool.connect();
    try {
      let last = 1;
      for (let i = 0; i < writes; i++) {
        await client.query('BEGIN');
        const { rows } = await client.query('INSERT INTO ceiling_commit (order_no, step) VALUES ($1, $2) RETURNING id', [order.no, unit]);
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

  // Sends one message of an order: the main queue first (its consumer carries the chain on), then
  // this message's share of the extra deliveries, each to another queue.
  const send = (publish, order, hop, side) => {
    const message = order.nextMessage++;
    // Side messages beyond the deliveries measured go nowhere (events no service consumes).
    const routed = !side || order.routedSides > 0;
    if (side && routed) order.routedSides -= 1;
    const queues = [];
    if (routed) {
      const main = (hop + (side ? order.nextMessage : 0)) % SERVICES;
      queues.push(main);
      const extra = Math.min(SERVICES - 1, share(order.extra, message, order.published));
      for (let k = 1; k <= extra; k++) queues.push((main + k) % SERVICES);
    }
    order.pending += queues.length;
    return publish(queues, Buffer.from(JSON.stringify({ o: order.no, h: hop, s: side ? 1 : 0, m: queues[0] ?? -1, pad })));
  };

  // After chain hop `hop` (0: the intake): the operator if it is their turn, then the next hop and
  // this hop's side messages, all published at once.
  const afterHop = async (publish, order, hop) => {
    if (order.notes > 0 && hop === Math.min(order.operatorAfter, order.chain)) {
      await Promise.all(
        Array.from({ length: order.notes }, async () => {
          for (let step = 0; step < order.operatorSteps; step++) await doStep(order);
        }),
      );
    }
    const sides = share(order.sides, hop, order.chain + 1);
    await Promise.all([
      ...(hop < order.chain ? [send(publish, order, hop + 1, false)] : []),
      ...Array.from({ length: sides }, () => send(publish, order, hop, true)),
    ]);
    if (hop === order.chain) order.chainDone = true;
  };
  const settled = (order) => {
    if (order.chainDone && order.pending === 0) order.resolve();
  };

  // Six "services": each consumes its queue and publishes on its own connection.
  for (let i = 0; i < SERVICES; i++) {
    const connection = await connect(`${applicationName}-service-${i}`);
    const publish = await publisherOf(connection);
    const channel = await connection.createChannel();
    channel.on('error', (error) => console.error(`ceiling consumer: ${error.message}`));
    await channel.prefetch(options.prefetch);
    await channel.consume(queueName(i), (message) => {
      if (!message) return;
      const { o, h, s, m } = JSON.parse(message.content.toString('utf8'));
      const order = inFlight.get(o);
      if (!order) {
        channel.ack(message);
        return;
      }
      (async () => {
        await doStep(order);
        // Only the chain message's main copy carries the order on; side messages and extra copies end here.
        if (!s && m === i) await afterHop(publish, order, h);
        channel.ack(message);
        order.pending -= 1;
        settled(order);
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

  // CPU of this process, of PostgreSQL and RabbitMQ, and of the pool's backends, at one moment.
  const sample = async () => {
    const { rows } = await stats.query(`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1`, [applicationName]);
    return { at: performance.now(), cpu: cpuSnapshot(), app: sampleProcesses([process.pid]), backends: sampleProcesses(rows.map((row) => row.pid)) };
  };

  const intake = await connect(`${applicationName}-intake`);
  const publishFirst = await publisherOf(intake);
  const timelines = [];
  let next = 0;
  let completed = 0;
  let lastProgress = performance.now();
  // The measured window's ends, sampled as they happen: from the warm-up's last completion to the
  // last order started (until then all C workers are busy).
  let windowFrom = options.warmup === 0 ? sample() : null;
  let windowTo = null;
  const watchdog = setInterval(() => {
    if (performance.now() - lastProgress > options.stallMs) fail(new Error(`ceiling: no order completed for ${options.stallMs} ms`));
  }, 1_000);
  const shape = options.perOrder;
  const worker = async () => {
    while (next < options.orders && !failure) {
      if (options.interrupted()) throw new Error('interrupted');
      const no = next++;
      const chain = Math.max(1, spread(shape.chain, no));
      const published = Math.max(chain, spread(shape.published, no));
      const delivered = Math.max(chain, spread(shape.delivered, no));
      const notes = spread(shape.notes, no);
      const sides = published - chain;
      const routedSides = Math.min(sides, delivered - chain);
      const order = {
        no,
        chain,
        published,
        sides,
        routedSides,
        extra: delivered - chain - routedSides,
        notes,
        operatorAfter: Math.round(shape.operatorAfter),
        operatorSteps: shape.operatorSteps,
        writes: spread(shape.writes, no),
        reads: spread(shape.reads, no),
        // The commits are shared over every unit of work: the intake, each delivery, each operator step.
        units: 1 + delivered + notes * shape.operatorSteps,
        nextUnit: 0,
        nextMessage: 0,
        pending: 0,
        chainDone: false,
        start: performance.now(),
      };
      if (next === options.orders) windowTo = sample();
      const done = new Promise((resolve, reject) => Object.assign(order, { resolve, reject }));
      inFlight.set(no, order);
      await doStep(order);
      await afterHop(publishFirst, order, 0);
      settled(order);
      await done;
      inFlight.delete(no);
      lastProgress = performance.now();
      timelines.push({ start: order.start, end: lastProgress });
      completed += 1;
      if (completed === options.warmup) windowFrom = sample();
    }
  };
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
  const from = await windowFrom;
  const to = await windowTo;

  // Sustained rate, as for the platform: completions in the window per second.
  const ends = timelines.map((t) => t.end);
  const windowStart = from.at;
  const windowEnd = Math.max(to.at, windowStart + 1);
  const inWindow = ends.filter((t) => t > windowStart && t <= windowEnd).length;
  const seconds = (windowEnd - windowStart) / 1000;
  // CPU over the same window, per order completed in it (what runs before and after is left out).
  const usage = cpuUsage(from.cpu, to.cpu);
  const app = usageBetween(from.app, to.app);
  const backends = usageBetween(from.backends, to.backends);
  const cpu = usage && {
    orders: inWindow,
    app: app.cpu,
    appSyscalls: app.syscalls,
    backends: backends.cpu,
    postgresOther: Math.max(0, (usage.postgres / 100) * seconds - backends.cpu),
    rabbitmq: (usage.rabbitmq / 100) * seconds,
    // The suite is stopped by now: "other" is only what else runs on the machine.
    otherPercent: usage.other,
    usage,
  };
  const measured = timelines.slice(options.warmup);
  return {
    orders: options.orders,
    throughput: inWindow / seconds,
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

/** Unit s's share of `total` spread over `units` units. */
function share(total, unit, units) {
  return Math.floor((total * (unit + 1)) / units) - Math.floor((total * unit) / units);
}
