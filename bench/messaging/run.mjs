// Messaging benchmark: what does the Skald platform (transactional outbox, relay, inbox consumer)
// cost compared with the least hand-written code that does the same physical work?
//
// Per message, both modes do: a producer transaction that writes a state row, a persistent
// publish confirmed by the broker into a durable quorum queue, and a consumer transaction that
// writes an effect row, acked after commit. The platform adds what buys its guarantees: the
// outbox row in the producer transaction (written with its commit), the relay marking rows sent
// (one statement per batch), envelope and payload validation, the inbox row in the consumer
// transaction.
//
// The modes take turns, phase by phase: both are started (each with its own database and queues),
// then every phase runs in several rounds, and in each round first one mode, then the other (the
// order alternates). This machine's speed drifts within a minute or two (other tenants, the
// servers' own housekeeping): a baseline measured first and a platform measured a minute later
// would compare two machines, while two runs seconds apart share the drift. The throughput ratio
// is the median of the rounds' ratios; latency percentiles pool every round's samples.
//
// The phases, each run after a warm-up of its own:
//   1. one message in flight: the next message is sent only once the previous one's effect
//      committed → one-hop latency (target: platform p99 ≤ 15 ms);
//   2. flood: C producers send back to back without waiting for consumers, as request handlers
//      would → end-to-end throughput, from the first send to the last effect (target: platform ≥
//      0.5 × baseline). Its latencies include whatever backlog builds up;
//   3. C in flight: C producers, each sending its next message once its previous one's effect
//      committed (a closed loop) → throughput at a fixed concurrency and latency under load that
//      is not just backlog; it shows how much per-message latency limits throughput.
//
// Latency runs from just before the producer transaction to the consumer's commit. Producer and
// consumer live in this process, so performance.now() is one monotonic clock for both ends.
//
// Usage: node bench/messaging/run.mjs [--rounds=5] [--messages=5000] [--concurrency=16]
//          [--latency-messages=500] [--warmup=100] [--prefetch=32] [--modes=baseline,platform]
// (or the same as BENCH_MESSAGES, BENCH_CONCURRENCY, …). Servers: TEST_DATABASE_URL, RABBITMQ_URL.
// It prints figures and exits 0 even when a target is missed; it exits 1 only when it breaks.
import 'reflect-metadata';
import { randomBytes, randomUUID } from 'node:crypto';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { defineEvent, EVENTS_EXCHANGE } from '@skald/contracts';
import {
  AmqpConnection,
  assertExchanges,
  DEFAULT_RETRY_DELAYS_MS,
  deadLetterQueueName,
  mainQueueName,
  MessageConsumer,
  messagingMigrations,
  Outbox,
  OutboxRelay,
  retryQueueName,
} from '@skald/messaging';
import { createScratchDatabase, postgresDataSourceOptions } from '@skald/persistence';
import { createTestVhost } from '@skald/testing';
import { Logger } from '@nestjs/common';
import amqplib from 'amqplib';
import { IsInt, IsUUID } from 'class-validator';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { cpuSnapshot, cpuUsage, formatCpuUsage } from '../lib/cpu.mjs';
import { fixed, formatTable, summarize } from '../lib/stats.mjs';

const config = {
  rounds: intSetting('rounds', 5),
  messages: intSetting('messages', 5_000),
  concurrency: intSetting('concurrency', 16),
  latencyMessages: intSetting('latency-messages', 500),
  warmup: intSetting('warmup', 100),
  prefetch: intSetting('prefetch', 32),
  /** A message whose effect has not committed by then fails the run instead of hanging it. */
  timeoutMs: intSetting('timeout-ms', 30_000),
  modes: setting('modes', 'baseline,platform').split(','),
  rabbitmqUrl: process.env.RABBITMQ_URL ?? process.env.TEST_RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672',
  // createScratchDatabase reads the same variable.
  databaseServer: process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
};

const TARGETS = { throughputRatio: 0.5, latencyP99Ms: 15 };
/** Percent of a core used by unrelated processes above which the results carry a warning. */
const OTHER_CPU_WARNING = 20;

// The platform logs through Nest; its connection chatter would break up the figures.
Logger.overrideLogger(['warn', 'error']);

// One id per run: service, queue, database and contract names never meet another run's.
const RUN_ID = randomBytes(4).toString('hex');
const SERVICE = `bench-${RUN_ID}`;

// The contract, defined without decorator syntax since this is plain JavaScript.
class BenchRecorded {}
IsUUID()(BenchRecorded.prototype, 'orderId');
IsInt()(BenchRecorded.prototype, 'seq');
const benchRecorded = defineEvent({
  type: `b${RUN_ID}.bench.recorded`,
  version: 1,
  owner: SERVICE,
  summary: 'Benchmark message',
  payload: BenchRecorded,
});

// The same tables in both modes' databases. The state row is the producer's business write, the
// effect row the consumer's; both have a primary key, as real tables would.
const CREATE_TABLES = [
  `CREATE TABLE bench_state (id uuid PRIMARY KEY, seq integer NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`,
  `CREATE TABLE bench_effect (message_id uuid PRIMARY KEY, seq integer NOT NULL,
                              created_at timestamptz NOT NULL DEFAULT now())`,
];
const INSERT_STATE = `INSERT INTO bench_state (id, seq) VALUES ($1, $2)`;
const INSERT_EFFECT = `INSERT INTO bench_effect (message_id, seq) VALUES ($1, $2)`;
const ADMIN_SHUTDOWN = '57P01';
/**
 * Pools close connections idle this long, and a mode waits for the other's to close before it
 * runs: the two modes together may want more connections than PostgreSQL's default 100.
 */
const IDLE_CONNECTION_MS = 500;

/** Set by Ctrl-C: the phase under way stops sending, and the usual error path cleans up. */
let interrupted = false;

async function main() {
  process.once('SIGINT', () => {
    interrupted = true;
    console.error('\ninterrupted, cleaning up…');
  });
  const starters = { baseline: startBaseline, platform: startPlatform };
  const unknown = config.modes.find((name) => !starters[name]);
  if (unknown) throw new Error(`unknown mode "${unknown}" (baseline, platform)`);
  await printEnvironment();
  const cleanup = new Cleanup();
  try {
    // A vhost of the run's own: exchanges declared as this code declares them (with their alternate
    // exchanges), whatever an older version left in the base vhost.
    const vhost = await createTestVhost('bench-messaging', config.rabbitmqUrl);
    cleanup.defer(() => vhost.remove());
    config.rabbitmqUrl = vhost.url;
    const modes = {};
    for (const name of config.modes) {
      const tracker = new Tracker(config.timeoutMs);
      modes[name] = { tracker, ...(await starters[name](tracker, cleanup)) };
    }
    const c = config.concurrency;
    const phases = [
      ['latency', '1 in flight', { producers: 1, count: config.latencyMessages, waitForEffect: true }],
      ['flood', `${c} producers, flood`, { producers: c, count: config.messages, waitForEffect: false }],
      ['closedLoop', `${c} in flight`, { producers: c, count: config.messages, waitForEffect: true }],
    ];
    const results = Object.fromEntries(config.modes.map((name) => [name, { latency: [], flood: [], closedLoop: [] }]));
    for (const [phase, label, options] of phases) {
      for (let round = 1; round <= config.rounds; round += 1) {
        // Alternating order: neither mode always runs on a machine the other has just warmed or tired.
        const order = round % 2 === 1 ? config.modes : [...config.modes].reverse();
        for (const name of order) {
          // The other modes' idle connections close first (see IDLE_CONNECTION_MS).
          await Promise.all(Object.entries(modes).filter(([other]) => other !== name).map(([, other]) => other.quiesce()));
          const result = await measurePhase(modes[name], options);
          const { p50, p99 } = result.latency;
          console.log(
            `${name.padEnd(8)} r${round} ${label.padEnd(20)} ${fixed(result.throughput, 0).padStart(5)} msg/s` +
              `  p50 ${fixed(p50).padStart(6)} ms  p99 ${fixed(p99).padStart(6)} ms  cpu: ${formatCpuUsage(result.cpu)}`,
          );
          results[name][phase].push(result);
        }
      }
    }
    // Every message sent must have exactly one effect, or the figures measure something else.
    for (const [name, mode] of Object.entries(modes)) {
      const effects = await mode.countEffects();
      if (effects !== mode.tracker.started) throw new Error(`${name}: ${effects} effect rows for ${mode.tracker.started} messages`);
    }
    printResults(combineRounds(results));
  } finally {
    await cleanup.run();
  }
}

/** A warm-up, then the measured run with the CPU each process used meanwhile. */
async function measurePhase(mode, options) {
  await runPhase(mode, mode.tracker, { ...options, count: config.warmup });
  const before = cpuSnapshot();
  const result = await runPhase(mode, mode.tracker, options);
  result.cpu = cpuUsage(before, cpuSnapshot());
  return result;
}

/**
 * One result per mode from the rounds: throughputs and CPU per message are the rounds' medians,
 * latencies are percentiles of every round's samples together, and `ratios` (per phase) are the
 * platform/baseline ratios of the rounds, each from two runs side by side.
 */
function combineRounds(results) {
  const combined = {};
  for (const [name, phases] of Object.entries(results)) {
    combined[name] = Object.fromEntries(
      Object.entries(phases).map(([phase, rounds]) => {
        const pooled = (pick) => summarize(rounds.flatMap(pick));
        return [
          phase,
          {
            throughput: median(rounds.map((r) => r.throughput)),
            latency: {
              ...pooled((r) => r.samples.total),
              stages: {
                producer: pooled((r) => r.samples.producer),
                handOff: pooled((r) => r.samples.handOff),
                consumer: pooled((r) => r.samples.consumer),
              },
            },
            cpuPerMessage: Object.fromEntries(
              ['bench', 'postgres', 'rabbitmq', 'other'].map((group) => [
                group,
                median(rounds.map((r) => (r.cpu ? (r.cpu[group] / 100) * (1000 / r.throughput) : Number.NaN))),
              ]),
            ),
            busiestOther: Math.max(0, ...rounds.map((r) => r.cpu?.other ?? 0)),
          },
        ];
      }),
    );
  }
  if (results.baseline && results.platform) {
    combined.ratios = Object.fromEntries(
      Object.keys(results.platform).map((phase) => [
        phase,
        results.platform[phase].map((run, i) => run.throughput / results.baseline[phase][i].throughput),
      ]),
    );
  }
  return combined;
}

function median(values) {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * `producers` share `count` messages. With `waitForEffect` each producer sends its next message
 * only once its previous one's effect committed; without, it goes on as soon as its own part is
 * done (the producer transaction, and for the baseline the confirmed publish). Either way the
 * phase ends when the last effect has committed.
 */
async function runPhase(mode, tracker, { producers, count, waitForEffect }) {
  const timelines = [];
  const outstanding = [];
  let issued = 0;
  const producer = async () => {
    try {
      while (issued < count) {
        if (interrupted) throw new Error('interrupted');
        issued += 1;
        const { seq, done } = tracker.start();
        await mode.produce(seq);
        const recorded = done.then((timeline) => timelines.push(timeline));
        if (waitForEffect) await recorded;
        else outstanding.push(recorded);
      }
    } catch (error) {
      issued = count; // the other producers stop after their current message
      throw error;
    }
  };
  const started = performance.now();
  // On failure, let the messages under way settle before the cleanup closes their connections.
  const producing = await Promise.allSettled(Array.from({ length: producers }, producer));
  const consuming = await Promise.allSettled(outstanding);
  const failure = [...producing, ...consuming].find((outcome) => outcome.status === 'rejected');
  if (failure) throw failure.reason;
  const seconds = (performance.now() - started) / 1000;
  const samples = {
    total: timelines.map((t) => t.committed - t.start),
    producer: timelines.map((t) => t.produced - t.start),
    handOff: timelines.map((t) => t.handler - t.produced),
    consumer: timelines.map((t) => t.committed - t.handler),
  };
  return { throughput: count / seconds, latency: summarize(samples.total), samples };
}

/**
 * Follows each message through four instants: start (before the producer transaction), produced
 * (producer committed), handler (the consumer's transaction is open and its effect is next) and
 * committed (the consumer committed). A message is known before it is produced, so a fast consumer
 * never completes a message the tracker has not heard of.
 */
class Tracker {
  started = 0;
  #pending = new Map();

  constructor(timeoutMs) {
    this.timeoutMs = timeoutMs;
  }

  start() {
    const seq = ++this.started;
    const done = new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(seq);
        reject(new Error(`message ${seq} not consumed within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
      this.#pending.set(seq, { resolve, timer, timeline: { start: performance.now() } });
    });
    // Marks the rejection handled: a producer that fails never awaits its `done`, and an
    // unhandled rejection would end the process before the cleanup.
    done.catch(() => undefined);
    return { seq, done };
  }

  mark(seq, instant) {
    const entry = this.#pending.get(seq);
    if (entry) entry.timeline[instant] = performance.now();
  }

  /** The consumer committed `seq`'s effect. Unknown (timed-out) messages are ignored. */
  finish(seq) {
    const entry = this.#pending.get(seq);
    if (!entry) return;
    entry.timeline.committed = performance.now();
    this.#pending.delete(seq);
    clearTimeout(entry.timer);
    entry.resolve(entry.timeline);
  }
}

/**
 * Hand-written: pg and amqplib, nothing else. Producer: BEGIN; INSERT state; COMMIT; then a
 * persistent publish awaited for its broker confirm. Consumer: same prefetch as the platform,
 * messages handled concurrently, each in its own transaction from a pool, acked after COMMIT.
 */
async function startBaseline(tracker, cleanup) {
  const queue = `${SERVICE}.baseline`;
  const routingKey = `b${RUN_ID}.bench.baseline.v1`;
  const db = await createScratchDatabase('bench_baseline');
  cleanup.defer(() => db.drop());
  cleanup.defer(() => deleteQueues([queue]));
  await withClient(db.url, async (client) => {
    for (const statement of CREATE_TABLES) await client.query(statement);
  });

  // Pools sized like the platform's: a connection per producer, one per unacked message.
  const pool = (role, max) => {
    const created = new pg.Pool({
      connectionString: db.url,
      max,
      idleTimeoutMillis: IDLE_CONNECTION_MS,
      application_name: `${SERVICE}-${role}`,
    });
    // pool.end() resolves before its connections have closed, so dropping the database (WITH
    // FORCE) may terminate one still closing (57P01). The pool emits that as 'error', and an
    // unhandled 'error' event would end the process before the cleanup is done.
    created.on('error', (error) => {
      if (error.code !== ADMIN_SHUTDOWN) console.error(`baseline ${role} pool: ${error.message}`);
    });
    cleanup.defer(() => created.end());
    return created;
  };
  const producerPool = pool('producer', config.concurrency);
  const consumerPool = pool('consumer', config.prefetch);

  // noDelay as in the platform's AmqpConnection: with Nagle on, confirms and acks wait for delayed ACKs.
  const producerConnection = await connectBroker(`${SERVICE}-baseline-producer`);
  cleanup.defer(() => producerConnection.close());
  const consumerConnection = await connectBroker(`${SERVICE}-baseline-consumer`);
  cleanup.defer(() => consumerConnection.close());

  // Same exchange, queue type and durability as the platform's service queue.
  const publisher = await producerConnection.createConfirmChannel();
  publisher.on('error', (error) => console.error(`baseline publisher: ${error.message}`));
  // Declared as the platform declares it (with its alternate exchange): the arguments must match.
  await assertExchanges(publisher);
  await publisher.assertQueue(queue, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
  await publisher.bindQueue(queue, EVENTS_EXCHANGE, routingKey);
  const publishConfirmed = (content, options) =>
    new Promise((resolve, reject) => {
      publisher.publish(EVENTS_EXCHANGE, routingKey, content, options, (error) => (error ? reject(error) : resolve()));
    });

  const channel = await consumerConnection.createChannel();
  channel.on('error', (error) => console.error(`baseline consumer: ${error.message}`));
  await channel.prefetch(config.prefetch);
  const consume = async (message) => {
    const { id, seq } = JSON.parse(message.content.toString('utf8'));
    const client = await consumerPool.connect();
    try {
      await client.query('BEGIN');
      tracker.mark(seq, 'handler');
      await client.query(INSERT_EFFECT, [id, seq]);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      channel.nack(message, false, true);
      console.error(`baseline consumer: ${error.message}`);
      return;
    } finally {
      client.release();
    }
    tracker.finish(seq);
    channel.ack(message);
  };
  await channel.consume(queue, (message) => {
    if (message) consume(message).catch((error) => console.error(`baseline consumer: ${error.message}`));
  });

  return {
    quiesce: () => whenIdle([producerPool, consumerPool]),
    async produce(seq) {
      const id = randomUUID();
      const client = await producerPool.connect();
      try {
        await client.query('BEGIN');
        await client.query(INSERT_STATE, [id, seq]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
      tracker.mark(seq, 'produced');
      const body = { id, seq, occurredAt: new Date().toISOString() };
      await publishConfirmed(Buffer.from(JSON.stringify(body)), {
        persistent: true,
        contentType: 'application/json',
        messageId: id,
      });
    },
    countEffects: () =>
      withClient(db.url, async (client) => (await client.query(`SELECT count(*)::int AS n FROM bench_effect`)).rows[0].n),
  };
}

/**
 * Through Skald, wired as two services would be: the producer's DataSource (also the relay's) and
 * broker connection, and the consumer's. Producer: state row and Outbox.publish in one TypeORM
 * transaction; the relay (woken by NOTIFY, default batch size) publishes with confirms;
 * MessageConsumer writes the inbox row and runs the handler in one transaction, then acks.
 */
async function startPlatform(tracker, cleanup) {
  const db = await createScratchDatabase('bench_platform');
  cleanup.defer(() => db.drop());
  const queues = [
    mainQueueName(SERVICE),
    deadLetterQueueName(SERVICE),
    ...DEFAULT_RETRY_DELAYS_MS.map((delay) => retryQueueName(SERVICE, delay)),
  ];
  cleanup.defer(() => deleteQueues(queues));

  const dataSource = async (role, poolSize) => {
    const source = new DataSource({
      ...postgresDataSourceOptions({
        url: db.url,
        applicationName: `${SERVICE}-${role}`,
        migrations: messagingMigrations,
        poolSize,
      }),
      extra: { idleTimeoutMillis: IDLE_CONNECTION_MS },
    });
    await source.initialize();
    cleanup.defer(() => source.destroy());
    return source;
  };
  // A connection per producer plus the relay's batch and its cleanup query.
  const producerSource = await dataSource('producer', config.concurrency + 2);
  // A connection per unacked message, plus slack.
  const consumerSource = await dataSource('consumer', config.prefetch + 2);
  await producerSource.runMigrations();
  for (const statement of CREATE_TABLES) await producerSource.query(statement);

  const brokerConnection = (role) => {
    const connection = new AmqpConnection({ url: config.rabbitmqUrl, name: `${SERVICE}-${role}`, service: SERVICE });
    cleanup.defer(() => connection.close());
    return connection;
  };
  const relayConnection = brokerConnection('relay');
  const consumerConnection = brokerConnection('consumer');

  const consumer = new MessageConsumer({
    service: SERVICE,
    connection: consumerConnection,
    dataSource: consumerSource,
    prefetch: config.prefetch,
  });
  consumer.addHandler(benchRecorded.routingKey, async (payload, context) => {
    tracker.mark(payload.seq, 'handler');
    await context.manager.query(INSERT_EFFECT, [context.envelope.id, payload.seq]);
  });
  // Emitted after the handler's transaction commits, before the ack.
  consumer.on('committed', (envelope) => tracker.finish(envelope.payload.seq));
  consumer.start();
  cleanup.defer(() => consumer.stop(5_000));
  // The queue must be bound before anything is published: the events exchange drops unroutable messages.
  await consumer.waitUntilConsuming();

  const relay = new OutboxRelay({
    service: SERVICE,
    dataSource: producerSource,
    connection: relayConnection,
    databaseUrl: db.url,
  });
  await relayConnection.waitForConnect(10_000);
  await relay.start();
  cleanup.defer(() => relay.stop());

  const outbox = new Outbox();
  return {
    // TypeORM's PostgreSQL driver keeps its pg.Pool as `master`.
    quiesce: () => whenIdle([producerSource.driver.master, consumerSource.driver.master]),
    async produce(seq) {
      await producerSource.transaction(async (manager) => {
        const orderId = randomUUID();
        await manager.query(INSERT_STATE, [orderId, seq]);
        await outbox.publish(manager, benchRecorded, { orderId, seq });
      });
      tracker.mark(seq, 'produced');
    },
    countEffects: async () => (await consumerSource.query(`SELECT count(*)::int AS n FROM bench_effect`))[0].n,
  };
}

/** Resolves once the pools hold no connection, or after a few seconds (then the run may be short of connections). */
async function whenIdle(pools) {
  const deadline = performance.now() + 10 * IDLE_CONNECTION_MS;
  while (pools.some((pool) => pool.totalCount > 0) && performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, IDLE_CONNECTION_MS / 5));
  }
}

/** Last in, first out; every step runs even when an earlier one fails. */
class Cleanup {
  #steps = [];

  defer(step) {
    this.#steps.push(step);
  }

  async run() {
    while (this.#steps.length > 0) {
      const step = this.#steps.pop();
      await Promise.resolve()
        .then(step)
        .catch((error) => console.error(`cleanup: ${error.message}`));
    }
  }
}

async function connectBroker(name) {
  const connection = await amqplib.connect(config.rabbitmqUrl, {
    noDelay: true,
    clientProperties: { connection_name: name },
  });
  connection.on('error', (error) => console.error(`${name}: ${error.message}`));
  return connection;
}

/** On a connection of its own, so that it works even when the mode's channels are broken. */
async function deleteQueues(queues) {
  const connection = await connectBroker(`${SERVICE}-cleanup`);
  try {
    const channel = await connection.createChannel();
    for (const queue of queues) await channel.deleteQueue(queue);
  } finally {
    await connection.close();
  }
}

async function withClient(url, work) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function printEnvironment() {
  const cpus = os.cpus();
  const postgres = await withClient(config.databaseServer, async (client) => {
    const { rows } = await client.query(
      `SELECT current_setting('server_version') AS version, current_setting('synchronous_commit') AS sync`,
    );
    return `${rows[0].version} (synchronous_commit=${rows[0].sync})`;
  });
  const broker = await connectBroker(`${SERVICE}-probe`);
  const rabbitmq = broker.connection.serverProperties.version;
  await broker.close();
  console.log('Skald messaging benchmark');
  const memory = `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`;
  console.log(`machine     ${cpus.length} × ${cpus[0]?.model.trim()}, ${memory}, ${os.platform()} ${os.release()}`);
  console.log(`node        ${process.version}`);
  console.log(`postgresql  ${postgres}`);
  console.log(`rabbitmq    ${rabbitmq}`);
  console.log(
    `parameters  messages=${config.messages} concurrency=${config.concurrency} latency-messages=${config.latencyMessages}` +
      ` warmup=${config.warmup} prefetch=${config.prefetch} modes=${config.modes.join(',')} rounds=${config.rounds}`,
  );
  console.log(`run id      ${RUN_ID}\n`);
}

function printResults({ baseline, platform, ratios }) {
  const both = baseline && platform;
  const cell = (result, phase, pick, digits) => (result ? fixed(pick(result[phase]), digits) : '-');
  const row = (label, phase, pick, digits, target = '', ratio) => [
    label,
    cell(baseline, phase, pick, digits),
    cell(platform, phase, pick, digits),
    both ? fixed(ratio ?? pick(platform[phase]) / pick(baseline[phase])) : '-',
    target,
  ];
  const verdict = (ok) => (ok ? 'PASS' : 'MISS');
  const floodRatio = both ? median(ratios.flood) : Number.NaN;
  const throughputTarget = both ? `≥ ${TARGETS.throughputRatio} × baseline: ${verdict(floodRatio >= TARGETS.throughputRatio)}` : '';
  const latencyTarget = platform
    ? `p99 ≤ ${TARGETS.latencyP99Ms} ms: ${verdict(platform.latency.latency.p99 <= TARGETS.latencyP99Ms)}`
    : '';

  const c = config.concurrency;
  const rounds = config.rounds;
  console.log(
    `\nResults over ${rounds} round(s): throughput the rounds' median, platform/baseline the median of` +
      ` the rounds' ratios,\nlatency (ms, from before the producer transaction to the consumer's commit) over every round's samples\n`,
  );
  console.log(
    formatTable(
      ['phase', 'baseline', 'platform', 'platform/baseline', 'target (platform)'],
      [
        row(`throughput, ${c} producers flood (msg/s)`, 'flood', (r) => r.throughput, 0, throughputTarget, floodRatio),
        row(`  latency p50 (with backlog)`, 'flood', (r) => r.latency.p50, 2),
        row(`  latency p99 (with backlog)`, 'flood', (r) => r.latency.p99, 2),
        row(`throughput, ${c} in flight (msg/s)`, 'closedLoop', (r) => r.throughput, 0, '', both ? median(ratios.closedLoop) : undefined),
        row(`  latency p50`, 'closedLoop', (r) => r.latency.p50, 2),
        row(`  latency p99`, 'closedLoop', (r) => r.latency.p99, 2),
        row('latency, 1 in flight p50', 'latency', (r) => r.latency.p50, 2),
        row('latency, 1 in flight p99', 'latency', (r) => r.latency.p99, 2, latencyTarget),
        row('latency, 1 in flight max', 'latency', (r) => r.latency.max, 2),
      ],
    ),
  );
  if (both) {
    const each = (phase) => ratios[phase].map((ratio) => fixed(ratio)).join(' / ');
    console.log(`\nplatform/baseline by round: flood ${each('flood')}; ${c} in flight ${each('closedLoop')}`);
  }

  // Where a one-in-flight message spends its time. The hand-off is everything between the
  // producer's commit and the consumer's handler: for the baseline the confirmed publish and the
  // delivery; for the platform the relay's confirmed publish, the delivery, the consumer's
  // validation and its inbox row.
  console.log(`\nWhere the time goes, 1 in flight (ms, p50 / p99 of each stage)\n`);
  const stage = (result, key) => {
    const summary = result?.latency.latency.stages[key];
    return summary ? `${fixed(summary.p50)} / ${fixed(summary.p99)}` : '-';
  };
  console.log(
    formatTable(
      ['stage', 'baseline', 'platform'],
      [
        ['producer transaction', stage(baseline, 'producer'), stage(platform, 'producer')],
        ['hand-off to the consumer handler', stage(baseline, 'handOff'), stage(platform, 'handOff')],
        ['consumer effect and commit', stage(baseline, 'consumer'), stage(platform, 'consumer')],
      ],
    ),
  );

  // CPU time per message is steadier than throughput on a shared machine: it shows what each mode
  // costs the processes involved, whatever else competes for the cores.
  console.log(`\nCPU per message, flood phase (ms of CPU time, the rounds' median)\n`);
  const cpuPerMessage = (result, group) => {
    const cpu = result?.flood.cpuPerMessage;
    if (!cpu) return Number.NaN;
    return group === 'total' ? cpu.bench + cpu.postgres + cpu.rabbitmq : cpu[group];
  };
  console.log(
    formatTable(
      ['process', 'baseline', 'platform', 'platform/baseline'],
      [
        ['benchmark (node)', 'bench'],
        ['postgresql', 'postgres'],
        ['rabbitmq', 'rabbitmq'],
        ['total', 'total'],
      ].map(([label, group]) => {
        const [b, p] = [cpuPerMessage(baseline, group), cpuPerMessage(platform, group)];
        return [label, fixed(b), fixed(p), fixed(p / b)];
      }),
    ),
  );

  // Both modes share the machine with the servers; anything else busy skews the comparison.
  const phases = [baseline, platform].flatMap((result) => (result ? [result.latency, result.flood, result.closedLoop] : []));
  const busiest = Math.max(0, ...phases.map((phase) => phase.busiestOther));
  if (busiest > OTHER_CPU_WARNING) {
    console.log(
      `\nNote: other processes used up to ${busiest.toFixed(0)}% of a core during a measured phase; the figures are skewed.`,
    );
  }
}

function setting(name, fallback) {
  const flag = `--${name}=`;
  const argument = process.argv.slice(2).find((arg) => arg.startsWith(flag));
  return argument?.slice(flag.length) ?? process.env[`BENCH_${name.toUpperCase().replace(/-/g, '_')}`] ?? fallback;
}

function intSetting(name, fallback) {
  const value = Number(setting(name, fallback));
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer`);
  return value;
}

// Last, so that the classes above are initialised before main() runs.
await main().then(
  () => process.exit(0),
  (error) => {
    if (interrupted) process.exit(130);
    console.error(`\nbenchmark failed: ${error.stack ?? error}`);
    process.exit(1);
  },
);
