import { Counter, Gauge, Histogram, register, type Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import { isTerminal, type SagaDefinition } from '../definition/saga-definition.js';

function getOrCreate<T>(registry: Registry, name: string, create: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? create();
}

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * The saga mechanism's event metrics, registered once per process (both sagas, every service
 * that runs one). Observed by `SagaStore` after the transaction that made the move commits.
 *
 * `skald_saga_step_seconds{type, state}` is the time a saga spent in a state before it moved on.
 * Every waiting state of a saga table waits for one thing (`waitsFor`: a reply to the command it
 * sent, a reviewer, the warehouse), so this is the latency of that step as the saga saw it, named
 * by the state an on-call engineer finds in the table and on the saga's timeline: a slow
 * `reserving` is inventory, a slow `releasing` the warehouses. A command-to-reply timer would
 * need the commands matched to their replies and says no more.
 */
export function sagaMetrics(registry: Registry = register) {
  return {
    duration: getOrCreate(
      registry,
      'skald_saga_duration_seconds',
      () =>
        new Histogram({
          name: 'skald_saga_duration_seconds',
          help: 'Time from a saga’s start to its final state, by saga type and outcome (the final state: completed, cancelled, rejected, closed …)',
          labelNames: ['type', 'outcome'],
          buckets: [1, 10, MINUTE, 5 * MINUTE, 15 * MINUTE, HOUR, 4 * HOUR, DAY, 3 * DAY, 7 * DAY, 30 * DAY],
          registers: [registry],
        }),
    ),
    stepSeconds: getOrCreate(
      registry,
      'skald_saga_step_seconds',
      () =>
        new Histogram({
          name: 'skald_saga_step_seconds',
          help: 'Time a saga spent in a state (waiting for what the state names) before it moved on, by saga type and state left',
          labelNames: ['type', 'state'],
          buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15, MINUTE, 5 * MINUTE, HOUR, DAY, 7 * DAY],
          registers: [registry],
        }),
    ),
    compensations: getOrCreate(
      registry,
      'skald_saga_compensations_total',
      () =>
        new Counter({
          name: 'skald_saga_compensations_total',
          help: 'Sagas that started compensating (entered a state that undoes their steps), by saga type and the state they left',
          labelNames: ['type', 'from_state'],
          registers: [registry],
        }),
    ),
  };
}

/** Is `state` one whose deadline compensates (re-sends the undoing for ever): the saga is undoing its steps. */
export function isCompensating<S extends string>(definition: SagaDefinition<S>, state: S): boolean {
  return definition.states[state].onDeadline?.kind === 'compensate';
}

/** Records a saga's move from `from` to `to` (a different state) that has committed. */
export function observeSagaMove<S extends string>(
  definition: SagaDefinition<S>,
  move: { from: S; to: S; enteredFromAt: Date | null; startedAt: Date },
  now = Date.now(),
): void {
  const metrics = sagaMetrics();
  if (move.enteredFromAt) {
    metrics.stepSeconds.labels(definition.type, move.from).observe(Math.max(0, now - move.enteredFromAt.getTime()) / 1000);
  }
  if (isTerminal(definition, move.to)) {
    metrics.duration.labels(definition.type, move.to).observe(Math.max(0, now - move.startedAt.getTime()) / 1000);
  }
  if (isCompensating(definition, move.to) && !isCompensating(definition, move.from)) {
    metrics.compensations.labels(definition.type, move.from).inc();
  }
}

interface Watched {
  dataSource: DataSource;
  definition: SagaDefinition<string>;
  overdueAfterMs: number;
}

interface Row {
  type: string;
  state: string;
  sagas: number;
  stuck: number;
  overdue: number;
}

/** The sagas whose numbers the gauges read at each scrape, by type (one data source per service). */
const watched = new Map<string, Watched>();
/** The scrape's one query, shared by the three gauges that read it. */
let snapshot: { at: number; rows: Promise<Row[] | undefined> } | undefined;

/** How long a scrape waits for the database before it shows the gauges as they were (a scrape must stay fast in an outage). */
const QUERY_TIMEOUT_MS = 2_000;

/**
 * In-flight sagas by type and state: how many, how many are stuck (`data.stuck`: a compensation or
 * a command unanswered after the last re-send, or a refusal an operator must repair), and how many
 * are overdue (their deadline passed more than `overdueAfterMs` ago and nobody acted on it: the
 * deadline loop is down, or acting on that saga fails every round). One grouped query per scrape
 * over the sagas that have a deadline — only in-flight ones do (terminal states have none) — read
 * through the partial index `saga_deadline_idx`: cheap with any number of finished sagas.
 */
async function readSnapshot(): Promise<Row[] | undefined> {
  const bySource = new Map<DataSource, Watched[]>();
  for (const entry of watched.values()) {
    if (entry.dataSource.isInitialized) bySource.set(entry.dataSource, [...(bySource.get(entry.dataSource) ?? []), entry]);
  }
  const rows: Row[] = [];
  for (const [dataSource, entries] of bySource) {
    const types = entries.map((entry) => entry.definition.type);
    const overdueAfterMs = Math.min(...entries.map((entry) => entry.overdueAfterMs));
    const query: Promise<Row[]> = dataSource.query(
      `SELECT type, state, count(*)::int AS sagas,
              count(*) FILTER (WHERE (data->>'stuck')::boolean)::int AS stuck,
              count(*) FILTER (WHERE deadline_at < now() - $2 * interval '1 millisecond')::int AS overdue
         FROM saga WHERE deadline_at IS NOT NULL AND type = ANY($1) GROUP BY 1, 2`,
      [types, overdueAfterMs],
    );
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), QUERY_TIMEOUT_MS)));
    const found = await Promise.race([query.catch(() => undefined), timeout]).finally(() => clearTimeout(timer));
    if (!found) return undefined;
    rows.push(...found);
  }
  return rows;
}

function sharedSnapshot(): Promise<Row[] | undefined> {
  // The three gauges are collected in the same scrape: one query serves them.
  if (!snapshot || Date.now() - snapshot.at > 1_000) snapshot = { at: Date.now(), rows: readSnapshot() };
  return snapshot.rows;
}

function sagaGauge(name: string, help: string, pick: (row: Row) => number): void {
  if (register.getSingleMetric(name)) return;
  new Gauge({
    name,
    help,
    labelNames: ['type', 'state'],
    async collect() {
      const rows = await sharedSnapshot();
      if (!rows) return; // the database did not answer in time: the values of the last scrape stand
      this.reset();
      // Every waiting state shows, at 0 when empty: a dashboard lists them and a rule sees a series.
      for (const { definition } of watched.values()) {
        for (const state of Object.keys(definition.states)) {
          if (!isTerminal(definition, state)) this.set({ type: definition.type, state }, 0);
        }
      }
      for (const row of rows) this.set({ type: row.type, state: row.state }, pick(row));
    },
  });
}

/**
 * Registers the saga metrics of this service: the event metrics of `sagaMetrics` and the gauges
 * (`skald_sagas`, `skald_sagas_stuck`, `skald_sagas_overdue`, by type and state) of a saga, read
 * from its database at each scrape. The saga's scheduler calls it, so that every service running a
 * saga has them.
 * @param overdueAfterMs how long past its deadline a saga counts as overdue (longer than a few
 *   scheduler rounds, so that a deadline simply waiting for the next round does not count)
 */
export function watchSagas<S extends string>(dataSource: DataSource, definition: SagaDefinition<S>, overdueAfterMs: number): void {
  watched.set(definition.type, { dataSource, definition: definition as unknown as SagaDefinition<string>, overdueAfterMs });
  // Registered now, not at the first move: a fresh service's /metrics already lists them (dashboards, rules).
  sagaMetrics();
  sagaGauge('skald_sagas', 'Sagas in flight (not in a final state), by saga type and state', (row) => row.sagas);
  sagaGauge(
    'skald_sagas_stuck',
    'Sagas in flight marked stuck (an answer or a compensation still missing after the last re-send, or a refusal to repair), by type and state',
    (row) => row.stuck,
  );
  sagaGauge(
    'skald_sagas_overdue',
    'Sagas whose deadline passed long ago without the scheduler acting on it (deadline loop down or failing on them), by type and state',
    (row) => row.overdue,
  );
}
