import { randomUUID } from 'node:crypto';
import { context, ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import { createScratchDatabase, postgresDataSourceOptions, runMigrations, type ScratchDatabase } from '@skald/persistence';
import { installTracePropagation } from '@skald/service-kit';
import { DataSource } from 'typeorm';
import type { SagaMechanismData } from '../definition/deadlines.js';
import { defineSaga } from '../definition/saga-definition.js';
import { sagaEntities } from '../persistence/saga.entity.js';
import { sagaMigrations } from '../persistence/saga-migrations.js';
import { SagaStore } from '../persistence/saga-store.js';
import { SagaLists, STUCK_GRACE_MS } from './saga-lists.js';
import { SagaTimelineSource } from './saga-timeline-source.js';

const PARCEL = defineSaga({
  type: 'parcel',
  initial: 'booking',
  undoable: ['booking'],
  states: {
    booking: { waitsFor: "the carrier's booking", accepts: ['booked'], next: ['travelling', 'unbooking'], waits: 'reply', onDeadline: { kind: 'resend', giveUp: 'NO_CARRIER' } },
    travelling: { waitsFor: 'the delivery', accepts: ['delivered'], next: ['arrived'], waits: 'delivery', onDeadline: { kind: 'complete', to: 'arrived', reason: 'assumed' } },
    unbooking: { waitsFor: 'the carrier to cancel the booking', accepts: ['unbooked'], next: ['cancelled'], waits: 'reply', onDeadline: { kind: 'compensate' } },
    arrived: { waitsFor: 'nothing', accepts: [], next: [] },
    cancelled: { waitsFor: 'nothing', accepts: [], next: [] },
  },
});
type ParcelState = keyof typeof PARCEL.states;

describe('sagas for on-call: the timeline source and the stuck and compensating lists (real PostgreSQL)', () => {
  let database: ScratchDatabase;
  let dataSource: DataSource;
  let deadline: Date | null;
  let store: SagaStore<ParcelState, SagaMechanismData>;
  let source: SagaTimelineSource;
  let lists: SagaLists;

  beforeAll(async () => {
    installTracePropagation();
    database = await createScratchDatabase('saga_ops');
    dataSource = new DataSource(postgresDataSourceOptions({ url: database.url, applicationName: 'saga-ops-spec', entities: sagaEntities, migrations: sagaMigrations, poolSize: 4 }));
    await dataSource.initialize();
    await runMigrations(dataSource);
    store = new SagaStore<ParcelState, SagaMechanismData>(PARCEL, () => deadline);
    source = new SagaTimelineSource('parcels', dataSource, [PARCEL]);
    lists = new SagaLists('parcels', dataSource, [PARCEL]);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  /** A saga moved through `states`, every step under the given trace; its deadline after the last move: `deadlineAt`. */
  async function aParcel(states: ParcelState[], deadlineAt: Date | null, options: { traceId?: string; stuck?: boolean } = {}): Promise<string> {
    const id = randomUUID();
    const spanContext = { traceId: options.traceId ?? 'ab'.repeat(16), spanId: 'cd'.repeat(8), traceFlags: TraceFlags.SAMPLED };
    await context.with(trace.setSpanContext(ROOT_CONTEXT, spanContext), () =>
      dataSource.transaction(async (manager) => {
        deadline = deadlineAt;
        const saga = await store.create(manager, id, {});
        await store.receive(manager, saga, { type: 'unknown', id: null });
        for (const state of states) await store.enter(manager, saga, state, null, { type: 'booked', id: randomUUID() });
        if (states.includes('unbooking')) await store.log(manager, saga, { kind: 'compensation', messageType: 'carrier.unbook.v1', reason: 'undo booking' });
        if (options.stuck) {
          saga.data = { ...saga.data, stuck: true };
          await store.save(manager, saga);
        }
      }),
    );
    return id;
  }

  it('gives the step log as timeline entries with the trace id, and the saga with what its state waits for', async () => {
    const traceId = randomUUID().replace(/-/g, '');
    const due = new Date(Date.now() + 60_000);
    const id = await aParcel(['unbooking'], due, { traceId });

    const entries = await source.entriesFor(id);
    const [saga] = await source.sagasFor(id);

    expect(entries.map((entry) => [entry.kind, entry.summary])).toEqual([
      ['saga.received', 'unknown ignored in state booking'],
      ['saga.state', 'parcel saga booking → unbooking'],
      ['saga.compensation', 'compensation carrier.unbook.v1: undo booking'],
    ]);
    expect(entries.every((entry) => entry.traceId === traceId && entry.service === 'parcels')).toBe(true);
    expect(entries[0].detail).toMatchObject({ ignored: true });
    expect(entries[1]).toMatchObject({ failure: true, detail: { from: 'booking', to: 'unbooking' } });
    expect(saga).toEqual({ id, type: 'parcel', state: 'unbooking', deadline: due.toISOString(), waitingFor: ['the carrier to cancel the booking'], finished: false });
    expect(await source.entriesFor('RMA-2026-000001')).toEqual([]);
    expect(await source.sagasFor(randomUUID())).toEqual([]);
  });

  it('lists sagas past their deadline (beyond the grace) or marked stuck, and compensating ones, newest first, a page at a time', async () => {
    const since = new Date();
    const overdue = await aParcel(['travelling'], new Date(Date.now() - STUCK_GRACE_MS - 5_000));
    const justDue = await aParcel(['travelling'], new Date(Date.now() - 1_000));
    const markedStuck = await aParcel(['unbooking'], new Date(Date.now() + 60_000), { stuck: true });
    const compensating = await aParcel(['unbooking'], new Date(Date.now() + 60_000));
    const finished = await aParcel(['travelling', 'arrived'], null);

    const stuck = await lists.list({ state: 'stuck', since, limit: 50 });
    const unbooking = await lists.list({ state: 'compensating', since, limit: 50 });

    expect(stuck.sagas.map((saga) => saga.id)).toEqual([markedStuck, overdue]);
    expect(stuck.sagas[1]).toMatchObject({ type: 'parcel', state: 'travelling', service: 'parcels', stuck: true, waitingFor: ['the delivery'] });
    expect(unbooking.sagas.map((saga) => saga.id)).toEqual([compensating, markedStuck]);
    for (const id of [justDue, finished]) expect([...stuck.sagas, ...unbooking.sagas].map((saga) => saga.id)).not.toContain(id);

    const first = await lists.list({ state: 'compensating', since, limit: 1 });
    const second = await lists.list({ state: 'compensating', since, limit: 1, cursor: first.nextCursor });
    expect([first.sagas[0].id, second.sagas[0].id, second.nextCursor]).toEqual([compensating, markedStuck, undefined]);
    expect((await lists.list({ state: 'stuck', since: new Date(Date.now() + 1_000), limit: 50 })).sagas).toEqual([]);
  });

  it('answers the lists from indexes (state, and the few marked stuck)', async () => {
    const plans = await dataSource.transaction(async (manager) => {
      await manager.query(`SET LOCAL enable_seqscan = off`);
      const explain = async (where: string) =>
        ((await manager.query(`EXPLAIN SELECT * FROM saga WHERE ${where} ORDER BY updated_at DESC, id DESC LIMIT 51`)) as Array<{ 'QUERY PLAN': string }>)
          .map((row) => row['QUERY PLAN'])
          .join('\n');
      return [await explain(`state = ANY('{unbooking}')`), await explain(`(data->>'stuck') = 'true'`)];
    });
    expect(plans[0]).toContain('saga_state_updated_idx');
    expect(plans[1]).toContain('saga_stuck_idx');
  });
});
