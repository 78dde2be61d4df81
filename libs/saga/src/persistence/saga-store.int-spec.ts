import { randomUUID } from 'node:crypto';
import { createScratchDatabase, postgresDataSourceOptions, runMigrations, type ScratchDatabase } from '@skald/persistence';
import { DataSource, type EntityManager } from 'typeorm';
import type { SagaMechanismData } from '../definition/deadlines.js';
import { defineSaga, IllegalSagaTransition } from '../definition/saga-definition.js';
import { SagaDeadlineLoop } from '../scheduler/deadline-loop.js';
import { sagaEntities, SagaStepEntity } from './saga.entity.js';
import { sagaMigrations } from './saga-migrations.js';
import { SagaStore } from './saga-store.js';

const TICKET = defineSaga({
  type: 'ticket',
  initial: 'open',
  undoable: [],
  states: {
    open: { waitsFor: 'an answer', accepts: ['answered'], next: ['answered', 'expired'], waits: 'reply', onDeadline: { kind: 'cancel', code: 'EXPIRED', reason: 'no answer' } },
    answered: { waitsFor: 'nothing', accepts: [], next: [] },
    expired: { waitsFor: 'nothing', accepts: ['answered'], next: [] },
  },
});
type TicketState = keyof typeof TICKET.states;
type TicketData = SagaMechanismData & { note?: string };

describe('saga store and deadline loop (real PostgreSQL)', () => {
  let database: ScratchDatabase;
  let dataSource: DataSource;
  let store: SagaStore<TicketState, TicketData>;
  /** A second saga type in the same table: never due for the ticket scheduler. */
  let other: SagaStore<TicketState, TicketData>;

  beforeAll(async () => {
    database = await createScratchDatabase('saga_store');
    dataSource = new DataSource(postgresDataSourceOptions({ url: database.url, applicationName: 'saga-store-spec', entities: sagaEntities, migrations: sagaMigrations, poolSize: 4 }));
    await dataSource.initialize();
    await runMigrations(dataSource);
    // Deadlines in the past, so that the loop finds them due at once.
    store = new SagaStore<TicketState, TicketData>(TICKET, (state) => (state === 'open' ? new Date(Date.now() - 1_000) : null));
    other = new SagaStore<TicketState, TicketData>({ ...TICKET, type: 'other' }, (state) => (state === 'open' ? new Date(Date.now() - 1_000) : null));
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  const steps = (id: string) => dataSource.manager.find(SagaStepEntity, { where: { sagaId: id }, order: { id: 'ASC' } });

  it('creates a saga in its initial state, moves it only as its table allows, and logs every step', async () => {
    const id = randomUUID();
    await dataSource.transaction(async (manager) => {
      await store.create(manager, id, { note: 'first' });
    });
    await dataSource.transaction(async (manager) => {
      const saga = (await store.lock(manager, id))!;
      expect(saga).toMatchObject({ type: 'ticket', state: 'open', version: 1, data: { note: 'first' } });
      expect(await store.receive(manager, saga, { type: 'unexpected', id: null })).toBe(false);
      expect(await store.receive(manager, saga, { type: 'answered', id: randomUUID() })).toBe(true);
      await store.enter(manager, saga, 'answered', 'the answer came');
      await expect(store.enter(manager, saga, 'expired', 'too late')).rejects.toThrow(IllegalSagaTransition);
    });
    const saga = (await store.find(dataSource.manager, id))!;
    expect(saga).toMatchObject({ state: 'answered', version: 2, deadlineAt: null, data: { note: 'first', resends: 0, stuck: false } });
    expect((await steps(id)).map((s) => [s.kind, s.messageType, s.fromState, s.toState, s.reason])).toEqual([
      ['message_received', 'unexpected', 'open', null, 'ignored in state open'],
      ['message_received', 'answered', 'open', null, null],
      ['state_changed', null, 'open', 'answered', 'the answer came'],
    ]);
    // Another type's store does not see it.
    expect(await other.find(dataSource.manager, id)).toBeNull();
  });

  it('refuses a stale write (another writer moved the saga first)', async () => {
    const id = randomUUID();
    await dataSource.transaction((manager) => store.create(manager, id, {}));
    const stale = (await store.find(dataSource.manager, id))!;
    await dataSource.transaction(async (manager) => store.enter(manager, (await store.lock(manager, id))!, 'answered', null));
    await expect(dataSource.transaction((manager) => store.save(manager, stale))).rejects.toThrow(/changed concurrently \(version 1\)/);
  });

  it('acts on each due saga once, with two schedulers (replicas) running at the same moment', async () => {
    const ids = Array.from({ length: 12 }, () => randomUUID());
    const foreign = randomUUID();
    await dataSource.transaction(async (manager) => {
      for (const id of ids) await store.create(manager, id, {});
      await other.create(manager, foreign, {});
    });
    const acts: string[] = [];
    const act = async (manager: EntityManager, id: string) => {
      const [row] = (await manager.query(`SELECT id FROM saga WHERE id = $1 FOR UPDATE SKIP LOCKED`, [id])) as unknown[];
      if (!row) return false;
      const saga = await store.lock(manager, id);
      if (!saga || !store.isDue(saga)) return false;
      acts.push(id);
      await store.log(manager, saga, { kind: 'timeout', reason: 'due' });
      await store.enter(manager, saga, 'expired', 'EXPIRED: no answer');
      return true;
    };
    const replicas = [new SagaDeadlineLoop(dataSource, store, act, { intervalMs: 60_000 }), new SagaDeadlineLoop(dataSource, store, act, { intervalMs: 60_000 })];
    const [a, b] = await Promise.all(replicas.map((loop) => loop.runOnce()));
    expect(a + b).toBe(ids.length);
    expect(acts.sort()).toEqual([...ids].sort());
    expect(new Set(acts).size).toBe(ids.length);
    for (const id of ids) expect((await store.find(dataSource.manager, id))?.state).toBe('expired');
    // The other type's due saga is not this scheduler's.
    expect((await other.find(dataSource.manager, foreign))?.state).toBe('open');
    expect(await replicas[0].runOnce()).toBe(0);
  });
});
