import { randomUUID } from 'node:crypto';
import { createScratchDatabase, postgresDataSourceOptions, runMigrations, type ScratchDatabase } from '@skald/persistence';
import { waitFor } from '@skald/testing';
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
  /** A third, without deadlines: its sagas are never due for anyone. */
  let quiet: SagaStore<TicketState, TicketData>;

  beforeAll(async () => {
    database = await createScratchDatabase('saga_store');
    dataSource = new DataSource(postgresDataSourceOptions({ url: database.url, applicationName: 'saga-store-spec', entities: sagaEntities, migrations: sagaMigrations, poolSize: 4 }));
    await dataSource.initialize();
    await runMigrations(dataSource);
    // Deadlines in the past, so that the loop finds them due at once.
    store = new SagaStore<TicketState, TicketData>(TICKET, (state) => (state === 'open' ? new Date(Date.now() - 1_000) : null));
    other = new SagaStore<TicketState, TicketData>({ ...TICKET, type: 'other' }, (state) => (state === 'open' ? new Date(Date.now() - 1_000) : null));
    quiet = new SagaStore<TicketState, TicketData>({ ...TICKET, type: 'quiet' }, () => null);
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

  it("writes a transaction's steps with its commit, in the order logged; none of a rolled-back transaction, savepoint or failed commit", async () => {
    const id = randomUUID();
    await dataSource.transaction((manager) => quiet.create(manager, id, {}));
    const started = await dataSource.transaction(async (manager) => {
      const saga = (await quiet.lock(manager, id))!;
      const [{ now }] = (await manager.query(`SELECT now()`)) as Array<{ now: Date }>;
      await quiet.receive(manager, saga, { type: 'unexpected', id: null });
      await expect(
        manager.transaction(async (inner) => {
          await quiet.log(inner, saga, { kind: 'compensation', reason: 'in a savepoint rolled back' });
          throw new Error('inner step failed');
        }),
      ).rejects.toThrow('inner step failed');
      await manager.transaction((inner) => quiet.log(inner, saga, { kind: 'command_sent', messageType: "it's \\ quoted", reason: 'in a savepoint kept' }));
      await quiet.receive(manager, saga, { type: 'answered', id: randomUUID() });
      await quiet.enter(manager, saga, 'answered', 'the answer came');
      // Not written while the transaction is under way: they go with the COMMIT.
      expect(await manager.query(`SELECT count(*)::int AS n FROM saga_step WHERE saga_id = $1`, [id])).toEqual([{ n: 0 }]);
      return now;
    });
    const [{ committed }] = (await dataSource.query(`SELECT clock_timestamp() AS committed`)) as Array<{ committed: Date }>;

    const written = await steps(id);
    expect(written.map((s) => [s.kind, s.messageType, s.fromState, s.toState, s.reason])).toEqual([
      ['message_received', 'unexpected', 'open', null, 'ignored in state open'],
      ['command_sent', "it's \\ quoted", 'open', null, 'in a savepoint kept'],
      ['message_received', 'answered', 'open', null, null],
      ['state_changed', null, 'open', 'answered', 'the answer came'],
    ]);
    // Each at the time it was logged: within the transaction, later steps never earlier.
    const times = written.map((s) => s.at.getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(times[0]).toBeGreaterThanOrEqual(started.getTime());
    expect(times.at(-1)).toBeLessThanOrEqual(committed.getTime());

    await expect(
      dataSource.transaction(async (manager) => {
        await quiet.log(manager, id, { kind: 'timeout', reason: 'in a transaction rolled back' });
        throw new Error('handler failed');
      }),
    ).rejects.toThrow('handler failed');
    // A step of a saga that does not exist breaks its foreign key at the COMMIT: nothing of that transaction is written.
    const doomed = randomUUID();
    await dataSource.transaction((manager) => quiet.create(manager, doomed, {}));
    await expect(
      dataSource.transaction(async (manager) => {
        await quiet.enter(manager, (await quiet.lock(manager, doomed))!, 'answered', 'moved in a failed commit');
        await quiet.log(manager, randomUUID(), { kind: 'timeout', reason: 'of no saga' });
      }),
    ).rejects.toThrow(/foreign key/);
    expect((await quiet.find(dataSource.manager, doomed))?.state).toBe('open');
    expect(await steps(doomed)).toEqual([]);
    expect(await steps(id)).toHaveLength(4);

    // Outside a transaction a step is written at once.
    await quiet.log(dataSource.manager, doomed, { kind: 'timeout', reason: 'no transaction' });
    expect((await steps(doomed)).map((s) => s.reason)).toEqual(['no transaction']);
  });

  it('locks a saga and its subject in one statement, the subject as its columns name it; null when either is missing', async () => {
    await dataSource.query(`CREATE TABLE IF NOT EXISTS ticket_subject (id uuid PRIMARY KEY, title text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`);
    const subject = { table: 'ticket_subject', alias: 't', columns: `t.id, t.title, t.created_at AS "createdAt"` };
    const [id, withoutSaga, withoutSubject] = [randomUUID(), randomUUID(), randomUUID()];
    await dataSource.transaction(async (manager) => {
      await manager.query(`INSERT INTO ticket_subject (id, title) VALUES ($1, 'printer on fire'), ($2, 'no saga')`, [id, withoutSaga]);
      await quiet.create(manager, id, { note: 'with subject' });
      await quiet.create(manager, withoutSubject, {});
    });

    const held = dataSource.createQueryRunner();
    try {
      await held.startTransaction();
      const locked = await quiet.lockWithSubject<{ id: string; title: string; createdAt: Date }>(held.manager, id, subject);
      expect(locked?.subject).toEqual({ id, title: 'printer on fire', createdAt: expect.any(Date) });
      expect(locked?.saga).toEqual(await quiet.find(dataSource.manager, id));
      expect(locked?.saga).toMatchObject({ type: 'quiet', state: 'open', version: 1, data: { note: 'with subject' } });
      // Both rows are locked until the transaction ends.
      for (const table of ['ticket_subject', 'saga']) {
        await expect(dataSource.query(`SELECT 1 FROM ${table} WHERE id = $1 FOR UPDATE NOWAIT`, [id])).rejects.toMatchObject({ code: '55P03' });
      }
      await held.commitTransaction();
    } finally {
      await held.release();
    }

    // The subject is locked before the saga, as every step takes them (no deadlock with a step
    // that holds the subject and waits for the saga): while the saga is held elsewhere, the
    // statement waits with the subject locked.
    const sagaHolder = dataSource.createQueryRunner();
    const waiting = dataSource.createQueryRunner();
    try {
      await sagaHolder.startTransaction();
      await sagaHolder.query(`SELECT 1 FROM saga WHERE id = $1 FOR UPDATE`, [id]);
      await waiting.startTransaction();
      const [{ pid }] = (await waiting.query(`SELECT pg_backend_pid() AS pid`)) as Array<{ pid: number }>;
      const locked = quiet.lockWithSubject(waiting.manager, id, subject);
      await waitFor('the lock statement waiting for the saga', async () =>
        ((await dataSource.query(`SELECT 1 FROM pg_stat_activity WHERE pid = $1 AND wait_event_type = 'Lock'`, [pid])) as unknown[]).length > 0,
      );
      await expect(dataSource.query(`SELECT 1 FROM ticket_subject WHERE id = $1 FOR UPDATE NOWAIT`, [id])).rejects.toMatchObject({ code: '55P03' });
      await sagaHolder.commitTransaction();
      expect((await locked)?.saga.id).toBe(id);
      await waiting.commitTransaction();
    } finally {
      await sagaHolder.release();
      await waiting.release();
    }

    await dataSource.transaction(async (manager) => {
      expect(await quiet.lockWithSubject(manager, withoutSaga, subject)).toBeNull();
      expect(await quiet.lockWithSubject(manager, withoutSubject, subject)).toBeNull();
      // Another type's saga is not this store's.
      expect(await other.lockWithSubject(manager, id, subject)).toBeNull();
    });
  });

  it('refuses a stale write (another writer moved the saga first)', async () => {
    const id = randomUUID();
    await dataSource.transaction((manager) => store.create(manager, id, {}));
    const stale = (await store.find(dataSource.manager, id))!;
    await dataSource.transaction(async (manager) => store.enter(manager, (await store.lock(manager, id))!, 'answered', null));
    await expect(dataSource.transaction((manager) => store.save(manager, stale))).rejects.toThrow(/changed concurrently \(version 1\)/);
  });

  it('does not write a saga it holds locked when nothing but its version would change; a change, a new deadline or a saga read unlocked is written', async () => {
    const id = randomUUID();
    await dataSource.transaction((manager) => quiet.create(manager, id, { note: 'n' }));
    const written = async () => {
      const saga = (await quiet.find(dataSource.manager, id))!;
      return { version: saga.version, updatedAt: saga.updatedAt.getTime() };
    };
    const before = await written();
    // A same-state step and a save of unchanged data, on the saga locked (and on the subject's lock).
    await dataSource.transaction(async (manager) => {
      const saga = (await quiet.lock(manager, id))!;
      await quiet.enter(manager, saga, 'open', null);
      await quiet.save(manager, saga);
      saga.data = { ...saga.data };
      await quiet.save(manager, saga);
    });
    expect(await written()).toEqual(before);
    // Inside a savepoint the lock may be given back: written as before.
    await dataSource.transaction(async (manager) => {
      await manager.transaction(async (inner) => quiet.save(inner, (await quiet.lock(inner, id))!));
    });
    expect((await written()).version).toBe(before.version + 1);
    // Changed data, or a new deadline: written (once each), and the saga as written is held again.
    await dataSource.transaction(async (manager) => {
      const saga = (await quiet.lock(manager, id))!;
      saga.data = { ...saga.data, note: 'changed' };
      await quiet.save(manager, saga);
      await quiet.save(manager, saga);
      await quiet.save(manager, saga, new Date(Date.now() + 60_000));
    });
    expect(await quiet.find(dataSource.manager, id)).toMatchObject({ version: before.version + 3, data: { note: 'changed' } });
    // A saga read without a lock is always written: stale, it fails loudly even when unchanged.
    const unlocked = (await quiet.find(dataSource.manager, id))!;
    await dataSource.transaction((manager) => quiet.save(manager, unlocked));
    expect((await written()).version).toBe(before.version + 4);
    await expect(dataSource.transaction((manager) => quiet.save(manager, { ...unlocked, version: 1 }))).rejects.toThrow(/changed concurrently/);
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
