import { randomBytes, randomUUID } from 'node:crypto';
import { createScratchDatabase, postgresDataSourceOptions, runMigrations, type ScratchDatabase } from '@skald/persistence';
import { waitFor } from '@skald/testing';
import { register, type Gauge, type MetricValue } from 'prom-client';
import { DataSource } from 'typeorm';
import type { SagaMechanismData } from '../definition/deadlines.js';
import { defineSaga } from '../definition/saga-definition.js';
import { sagaEntities } from '../persistence/saga.entity.js';
import { sagaMigrations } from '../persistence/saga-migrations.js';
import { SagaStore } from '../persistence/saga-store.js';
import { afterCommit } from './after-commit.js';
import { sagaMetrics, watchSagas } from './saga-metrics.js';

/** A parcel: sent, then delivered; or recalled (compensated) and returned. A type of its own per test run. */
const parcelSaga = () =>
  defineSaga({
    type: `parcel_${randomBytes(3).toString('hex')}`,
    initial: 'sending',
    undoable: ['sent'],
    states: {
      sending: { waitsFor: 'the carrier', accepts: ['sent', 'recall'], next: ['in_transit', 'recalling'], waits: 'reply', onDeadline: { kind: 'resend', giveUp: 'NO_CARRIER' } },
      in_transit: { waitsFor: 'delivery', accepts: ['delivered', 'recall'], next: ['delivered', 'recalling'], waits: 'reply', onDeadline: { kind: 'cancel', code: 'LOST', reason: 'lost' } },
      recalling: { waitsFor: 'the carrier to bring it back', accepts: ['returned'], next: ['returned'], waits: 'reply', onDeadline: { kind: 'compensate' } },
      delivered: { waitsFor: 'nothing', accepts: [], next: [] },
      returned: { waitsFor: 'nothing', accepts: [], next: [] },
    },
  });
type Parcel = ReturnType<typeof parcelSaga>;
type ParcelState = keyof Parcel['states'];

const HOUR = 3_600_000;

function valueOf(values: MetricValue<string>[], labels: Record<string, string>, metricName?: string): number | undefined {
  return values.find((v) => (!metricName || (v as { metricName?: string }).metricName === metricName) && Object.entries(labels).every(([k, l]) => v.labels[k] === l))?.value;
}

describe('saga metrics (real PostgreSQL)', () => {
  let database: ScratchDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createScratchDatabase('saga_metrics');
    dataSource = new DataSource(postgresDataSourceOptions({ url: database.url, applicationName: 'saga-metrics-spec', entities: sagaEntities, migrations: sagaMigrations, poolSize: 4 }));
    await dataSource.initialize();
    await runMigrations(dataSource);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  const storeOf = (definition: Parcel, deadline = () => new Date(Date.now() + HOUR)) =>
    new SagaStore<ParcelState, SagaMechanismData>(definition, (state) => (definition.states[state].next.length > 0 ? deadline() : null));

  /** Moves the saga through `states`, each move in a transaction of its own. */
  async function walk(store: SagaStore<ParcelState, SagaMechanismData>, id: string, states: ParcelState[]): Promise<void> {
    for (const state of states) await dataSource.transaction(async (manager) => store.enter(manager, (await store.lock(manager, id))!, state, null));
  }

  it('observes a finished saga’s duration by outcome, the time it spent in each state, and a compensation once', async () => {
    const definition = parcelSaga();
    const store = storeOf(definition);
    const delivered = randomUUID();
    const recalled = randomUUID();
    await dataSource.transaction(async (manager) => {
      await store.create(manager, delivered, {});
      await store.create(manager, recalled, {});
    });
    // Started two hours ago: the duration and the first state's time are measured from the row.
    await dataSource.query(`UPDATE saga SET created_at = now() - interval '2 hours' WHERE id = ANY($1)`, [[delivered, recalled]]);

    await walk(store, delivered, ['in_transit', 'delivered']);
    await walk(store, recalled, ['recalling']);
    // A move whose transaction rolls back was never made: nothing observed.
    await expect(
      dataSource.transaction(async (manager) => {
        await store.enter(manager, (await store.lock(manager, recalled))!, 'returned', null);
        throw new Error('the handler failed after the move');
      }),
    ).rejects.toThrow('the handler failed');
    const metrics = sagaMetrics();
    const type = definition.type;
    expect(valueOf((await metrics.duration.get()).values, { type, outcome: 'returned' }, 'skald_saga_duration_seconds_count')).toBeUndefined();
    await walk(store, recalled, ['returned']);

    const duration = (await metrics.duration.get()).values;
    expect(valueOf(duration, { type, outcome: 'delivered' }, 'skald_saga_duration_seconds_count')).toBe(1);
    expect(valueOf(duration, { type, outcome: 'returned' }, 'skald_saga_duration_seconds_count')).toBe(1);
    expect(valueOf(duration, { type, outcome: 'delivered' }, 'skald_saga_duration_seconds_sum')).toBeGreaterThanOrEqual(2 * 3600);
    // Two hours in the initial state (measured from the row's creation), moments in the next.
    const steps = (await metrics.stepSeconds.get()).values;
    expect(valueOf(steps, { type, state: 'sending' }, 'skald_saga_step_seconds_count')).toBe(2);
    expect(valueOf(steps, { type, state: 'sending' }, 'skald_saga_step_seconds_sum')).toBeGreaterThanOrEqual(2 * 2 * 3600);
    expect(valueOf(steps, { type, state: 'in_transit' }, 'skald_saga_step_seconds_count')).toBe(1);
    expect(valueOf(steps, { type, state: 'in_transit' }, 'skald_saga_step_seconds_sum')).toBeLessThan(60);
    expect(valueOf(steps, { type, state: 'recalling' }, 'skald_saga_step_seconds_count')).toBe(1);
    expect(valueOf((await metrics.compensations.get()).values, { type, from_state: 'sending' })).toBe(1);
    expect(valueOf((await metrics.compensations.get()).values, { type, from_state: 'in_transit' })).toBeUndefined();
  });

  it('counts in-flight sagas per state, the stuck ones and those left past their deadline, from the database at scrape', async () => {
    const definition = parcelSaga();
    const store = storeOf(definition);
    const type = definition.type;
    const [sending, stuck, overdue, done] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    await dataSource.transaction(async (manager) => {
      for (const id of [sending, stuck, overdue, done]) await store.create(manager, id, {});
    });
    await walk(store, stuck, ['recalling']);
    await walk(store, done, ['in_transit', 'delivered']);
    // Re-sent to the last without an answer (as the schedulers mark it), and one nobody acted on for ten minutes.
    await dataSource.query(`UPDATE saga SET data = data || '{"stuck": true, "resends": 6}' WHERE id = $1`, [stuck]);
    await dataSource.query(`UPDATE saga SET deadline_at = now() - interval '10 minutes' WHERE id = $1`, [overdue]);
    watchSagas(dataSource, definition, 60_000);

    const read = async (name: string) => (await (register.getSingleMetric(name) as Gauge).get()).values.filter((v) => v.labels.type === type);
    const sagas = await read('skald_sagas');
    expect(valueOf(sagas, { state: 'sending' })).toBe(2);
    expect(valueOf(sagas, { state: 'recalling' })).toBe(1);
    expect(valueOf(sagas, { state: 'in_transit' })).toBe(0); // every waiting state shows, empty ones at 0
    expect(sagas.map((v) => v.labels.state)).not.toContain('delivered'); // a final state is not in flight
    const stuckNow = await read('skald_sagas_stuck');
    expect(valueOf(stuckNow, { state: 'recalling' })).toBe(1);
    expect(valueOf(stuckNow, { state: 'sending' })).toBe(0);
    const overdueNow = await read('skald_sagas_overdue');
    expect(valueOf(overdueNow, { state: 'sending' })).toBe(1);

    // The deadline loop acts: the saga moves on, and a later scrape (past the one-scrape cache) sees it.
    await walk(store, overdue, ['in_transit']);
    await waitFor('a scrape without the overdue saga', async () => valueOf(await read('skald_sagas_overdue'), { state: 'sending' }) === 0);
    expect(valueOf(await read('skald_sagas'), { state: 'in_transit' })).toBe(1);
  });

  it('observes after the commit: a rolled-back savepoint drops what was queued inside it, the outer commit runs the rest', async () => {
    const ran: string[] = [];
    await dataSource.transaction(async (manager) => {
      afterCommit(manager, () => ran.push('outer'));
      await expect(
        manager.transaction(async (inner) => {
          afterCommit(inner, () => ran.push('rolled back'));
          throw new Error('savepoint undone');
        }),
      ).rejects.toThrow('savepoint undone');
      await manager.transaction(async (inner) => afterCommit(inner, () => ran.push('released')));
      expect(ran).toEqual([]); // a released savepoint is not a commit
    });
    expect(ran).toEqual(['outer', 'released']);
    afterCommit(dataSource.manager, () => ran.push('no transaction'));
    expect(ran).toEqual(['outer', 'released', 'no transaction']);
  });

  it('observes after the commit what a released savepoint queued, even when a later sibling savepoint rolls back', async () => {
    const ran: string[] = [];
    await dataSource.transaction(async (manager) => {
      await manager.transaction(async (inner) => afterCommit(inner, () => ran.push('released')));
      await expect(
        manager.transaction(async (inner) => {
          afterCommit(inner, () => ran.push('rolled back'));
          throw new Error('sibling undone');
        }),
      ).rejects.toThrow('sibling undone');
    });
    expect(ran).toEqual(['released']);
  });

  it('reads the gauges through the partial index of in-flight sagas (a scrape stays cheap with many finished ones)', async () => {
    const definition = parcelSaga();
    await dataSource.query(
      `INSERT INTO saga (id, type, state, version, deadline_at, data)
       SELECT gen_random_uuid(), $1, 'delivered', 3, NULL, '{}' FROM generate_series(1, 20000)`,
      [definition.type],
    );
    await dataSource.query(`ANALYZE saga`);
    const plan: Array<{ 'QUERY PLAN': string }> = await dataSource.query(
      `EXPLAIN SELECT type, state, count(*) FROM saga WHERE deadline_at IS NOT NULL AND type = ANY($1) GROUP BY 1, 2`,
      [[definition.type]],
    );
    expect(plan.map((row) => row['QUERY PLAN']).join('\n')).toMatch(/saga_deadline_idx/);
  });
});
