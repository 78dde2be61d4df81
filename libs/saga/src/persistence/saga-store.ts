import { Logger } from '@nestjs/common';
import { context, isSpanContextValid, trace } from '@opentelemetry/api';
import { entityColumns, writeWithCommit, type CommitWriter, type PostgresRunnerInternals } from '@skald/persistence';
import { performance } from 'node:perf_hooks';
import type { EntityManager, QueryRunner } from 'typeorm';
import type { SagaMechanismData } from '../definition/deadlines.js';
import { accepts, canMove, IllegalSagaTransition, isTerminal, type SagaDefinition } from '../definition/saga-definition.js';
import { afterCommit } from '../metrics/after-commit.js';
import { observeSagaMove } from '../metrics/saga-metrics.js';
import { SagaEntity, SagaStepEntity, type SagaStepKind } from './saga.entity.js';

/** What started a step: a message (its type and id), a request or the scheduler (id null). */
export interface SagaTrigger<T extends string = string> {
  type: T;
  id: string | null;
}

export interface SagaStepRecord {
  kind: SagaStepKind;
  messageType?: string | null;
  messageId?: string | null;
  fromState?: string | null;
  toState?: string | null;
  reason?: string | null;
}

/** When a saga entering `state` with `data` gives up waiting (null: never, a terminal state). */
export type DeadlineOf<S extends string, D> = (state: S, data: D, now: number) => Date | null;

/** The saga table's columns, named as SagaEntity's properties (data: jsonb, parsed). */
const SAGA = entityColumns(SagaEntity, {
  id: 'id',
  type: 'type',
  state: 'state',
  version: 'version',
  deadlineAt: 'deadline_at',
  data: 'data',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
});

/** Where the saga's columns are in a row that also holds its subject's (lockWithSubject). */
const SAGA_PREFIX = 'saga.';

/** The saga of a row selected with SAGA's columns (with `prefix`), typed as this store's. */
function toSaga<S extends string, D extends SagaMechanismData>(row: object, prefix = ''): SagaEntity<S, D> {
  return SAGA.toEntity(row, prefix) as SagaEntity<S, D>;
}

/**
 * The sagas a transaction holds locked from its top level (read FOR UPDATE, created or written by
 * it, not inside a savepoint), with their data as last read or written. Nobody else can write such
 * a saga until the transaction ends, so a write that would change neither its state, deadline nor
 * data is left out: it would only move `version` and `updated_at` (a same-state step, like an order
 * moving from picking to packed, is one UPDATE fewer). A saga read without a lock (`find`) is
 * always written, so a stale writer still fails loudly on the version check.
 */
const held = new WeakMap<SagaEntity<string, SagaMechanismData>, { runner: QueryRunner; data: string }>();

/** Remembers `saga` as held by the transaction under way on `manager`, if it runs at its top level. */
function hold(manager: EntityManager, saga: SagaEntity<string, SagaMechanismData>): void {
  const runner = manager.queryRunner;
  if (runner?.isTransactionActive && (runner as unknown as PostgresRunnerInternals).transactionDepth === 1) {
    held.set(saga, { runner, data: JSON.stringify(saga.data) });
  } else {
    held.delete(saga);
  }
}

/** Would writing `saga` in `state` with `deadlineAt` change nothing but its version, a saga this transaction holds? */
function changesNothing(manager: EntityManager, saga: SagaEntity<string, SagaMechanismData>, state: string, deadlineAt: Date | null): boolean {
  const holding = held.get(saga);
  return (
    holding !== undefined &&
    holding.runner === manager.queryRunner &&
    holding.runner.isTransactionActive &&
    state === saga.state &&
    (deadlineAt?.getTime() ?? null) === (saga.deadlineAt?.getTime() ?? null) &&
    holding.data === JSON.stringify(saga.data)
  );
}

/** The table of a saga's subject (the order, the return: its id is the saga's), for lockWithSubject. */
export interface SagaSubject {
  table: string;
  /** The alias `columns` qualify the table's columns with. */
  alias: string;
  /** The select list of the subject's row, qualified with `alias`, each named as its entity's property (none starting `saga.`). */
  columns: string;
}

/** A step's columns but its time, in STEP_COLUMNS' order. */
const STEP_COLUMNS = 'saga_id, kind, message_type, message_id, from_state, to_state, reason, trace_id';
type StepValues = [string, SagaStepKind, string | null, string | null, string | null, string | null, string | null, string | null];

/**
 * A transaction's saga steps, one multi-row INSERT sent with its COMMIT, in the order they were
 * logged (the identity ids follow the VALUES). Each keeps the time it was logged, not the
 * commit's: the database clock at the commit less the time since the step was logged, measured
 * here (the same clock the column's default, clock_timestamp(), read when every step was an
 * INSERT of its own); a later step never has an earlier time.
 */
const SAGA_STEPS: CommitWriter<{ values: StepValues; loggedAt: number }> = {
  statement(steps, client) {
    const now = performance.now();
    const rows = steps.map(({ values, loggedAt }) => {
      const literals = values.map((value) => (value === null ? 'NULL' : client.escapeLiteral(value)));
      const ago = Math.max(0, Math.round((now - loggedAt) * 1000));
      return `(${literals.join(', ')}, clock_timestamp() - ${ago} * interval '1 microsecond')`;
    });
    return `INSERT INTO saga_step (${STEP_COLUMNS}, at) VALUES ${rows.join(', ')}`;
  },
};

/**
 * The persisted saga of one definition: its row (state, version, deadline, data) and step log, in
 * the caller's transaction. Every move is checked against the definition's table and logged;
 * every write checks the version, so a concurrent writer's stale update fails loudly.
 *
 * Plain SQL, not TypeORM's query builder or repository: this is every saga message's hot path
 * (lock, log, write), and building and hydrating a query cost more CPU than the statement itself.
 * The rows map onto SagaEntity / SagaStepEntity exactly (same properties, same types).
 */
export class SagaStore<S extends string, D extends SagaMechanismData, T extends string = string> {
  private readonly logger: Logger;

  constructor(
    readonly definition: SagaDefinition<S, T>,
    private readonly deadlineOf: DeadlineOf<S, D>,
  ) {
    this.logger = new Logger(`${definition.type[0].toUpperCase()}${definition.type.slice(1)}Saga`);
  }

  /** A new saga in the definition's initial state, with that state's deadline. */
  async create(manager: EntityManager, id: string, data: D): Promise<SagaEntity<S, D>> {
    const state = this.definition.initial;
    const now = new Date();
    const saga: SagaEntity<S, D> = { id, type: this.definition.type, state, version: 1, deadlineAt: this.deadlineOf(state, data, now.getTime()), data, createdAt: now, updatedAt: now };
    await manager.query(
      `INSERT INTO saga (id, type, state, version, deadline_at, data, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [saga.id, saga.type, saga.state, saga.version, saga.deadlineAt, JSON.stringify(saga.data), saga.createdAt, saga.updatedAt],
    );
    hold(manager, saga);
    return saga;
  }

  /** The saga row, locked for the rest of the transaction. */
  async lock(manager: EntityManager, id: string): Promise<SagaEntity<S, D> | null> {
    const rows: Array<Record<string, unknown>> = await manager.query(`SELECT ${SAGA.list} FROM saga WHERE id = $1 AND type = $2 FOR UPDATE`, [id, this.definition.type]);
    if (rows.length === 0) return null;
    const saga = toSaga<S, D>(rows[0]);
    hold(manager, saga);
    return saga;
  }

  /**
   * The saga's subject (the order, the return) and the saga, both locked for the rest of the
   * transaction, in one statement: a step's first round trip, not two. The subject is locked
   * first, then the saga (PostgreSQL locks a join's rows in the order of its FROM list), the
   * order every step takes them in. null when either is missing (nothing locked then).
   */
  async lockWithSubject<R>(manager: EntityManager, id: string, subject: SagaSubject): Promise<{ subject: R; saga: SagaEntity<S, D> } | null> {
    const rows: Array<Record<string, unknown>> = await manager.query(
      `SELECT ${subject.columns}, ${SAGA.listOf('s', SAGA_PREFIX)}
         FROM ${subject.table} ${subject.alias} JOIN saga s ON s.id = ${subject.alias}.id AND s.type = $2
        WHERE ${subject.alias}.id = $1 FOR UPDATE`,
      [id, this.definition.type],
    );
    if (rows.length === 0) return null;
    const row = rows[0];
    const own = Object.fromEntries(Object.entries(row).filter(([name]) => !name.startsWith(SAGA_PREFIX)));
    const saga = toSaga<S, D>(row, SAGA_PREFIX);
    hold(manager, saga);
    return { subject: own as R, saga };
  }

  async find(manager: EntityManager, id: string): Promise<SagaEntity<S, D> | null> {
    const rows: Array<Record<string, unknown>> = await manager.query(`SELECT ${SAGA.list} FROM saga WHERE id = $1 AND type = $2`, [id, this.definition.type]);
    return rows.length > 0 ? toSaga<S, D>(rows[0]) : null;
  }

  /** Several sagas at once (a page of a list), not locked. */
  async findMany(manager: EntityManager, ids: readonly string[]): Promise<Array<SagaEntity<S, D>>> {
    if (ids.length === 0) return [];
    const rows: Array<Record<string, unknown>> = await manager.query(`SELECT ${SAGA.list} FROM saga WHERE id = ANY($1::uuid[]) AND type = $2`, [[...ids], this.definition.type]);
    return rows.map((row) => toSaga<S, D>(row));
  }

  /**
   * Ids of this type's sagas whose deadline is due, most overdue first. Not locked: the scheduler
   * takes each with `SKIP LOCKED` and checks the deadline again under the lock.
   */
  async dueIds(manager: EntityManager, limit: number): Promise<string[]> {
    const rows: Array<{ id: string }> = await manager.query(
      `SELECT id FROM saga WHERE type = $1 AND deadline_at IS NOT NULL AND deadline_at <= now() ORDER BY deadline_at LIMIT $2`,
      [this.definition.type, limit],
    );
    return rows.map((row) => row.id);
  }

  /** Is a locked saga's deadline due now (and not terminal)? The scheduler's check under the lock. */
  isDue(saga: SagaEntity<S, D>, now = Date.now()): boolean {
    return !isTerminal(this.definition, saga.state) && saga.deadlineAt !== null && saga.deadlineAt.getTime() <= now;
  }

  /**
   * Does the saga act on `trigger` in its state (the table's `accepts`)? Logs the message as
   * received, or as ignored (a duplicate or a late message: no effect).
   */
  async receive(manager: EntityManager, saga: SagaEntity<S, D>, trigger: SagaTrigger<T>): Promise<boolean> {
    if (!accepts(this.definition, saga.state, trigger.type)) {
      this.logger.warn(`${trigger.type} ${trigger.id ?? ''} while saga ${saga.id} is ${saga.state}: ignored`);
      await this.log(manager, saga, { kind: 'message_received', messageType: trigger.type, messageId: trigger.id, reason: `ignored in state ${saga.state}` });
      return false;
    }
    await this.log(manager, saga, { kind: 'message_received', messageType: trigger.type, messageId: trigger.id });
    return true;
  }

  /**
   * Moves the saga to `state` as its table allows: a new deadline, re-sends counted afresh, the
   * change logged. In the same state it only saves the data.
   * @throws IllegalSagaTransition a move the table does not have (a defect, never input's fault)
   */
  async enter(manager: EntityManager, saga: SagaEntity<S, D>, state: S, reason: string | null, trigger?: SagaTrigger): Promise<void> {
    if (saga.state === state) {
      await this.save(manager, saga);
      return;
    }
    if (!canMove(this.definition, saga.state, state)) throw new IllegalSagaTransition(this.definition.type, saga.id, saga.state, state);
    const from = saga.state;
    const enteredFromAt = this.enteredAt(saga);
    const now = new Date();
    saga.data = { ...saga.data, resends: 0, stuck: false, enteredAt: now.toISOString() };
    await this.write(manager, saga, state, this.deadlineOf(state, saga.data, now.getTime()));
    await this.log(manager, saga, { kind: 'state_changed', fromState: from, toState: state, messageType: trigger?.type, messageId: trigger?.id, reason });
    const startedAt = saga.createdAt;
    afterCommit(manager, () => observeSagaMove(this.definition, { from, to: state, enteredFromAt, startedAt }, now.getTime()));
  }

  /** When the saga entered its state; null when unknown (a saga that moved before this was recorded). */
  private enteredAt(saga: SagaEntity<S, D>): Date | null {
    if (saga.data.enteredAt) return new Date(saga.data.enteredAt);
    return saga.state === this.definition.initial ? saga.createdAt : null;
  }

  /**
   * Saves the saga's data in its state; `deadlineAt` (default: unchanged) moves its deadline. A
   * saga this transaction holds locked whose data and deadline did not change is not written again.
   */
  async save(manager: EntityManager, saga: SagaEntity<S, D>, deadlineAt: Date | null = saga.deadlineAt): Promise<void> {
    await this.write(manager, saga, saga.state, deadlineAt);
  }

  /** Saves the data with the state's deadline computed afresh from it (the data changed what the saga waits for). */
  async reschedule(manager: EntityManager, saga: SagaEntity<S, D>): Promise<void> {
    await this.save(manager, saga, this.deadlineOf(saga.state, saga.data, Date.now()));
  }

  /**
   * A step-log entry; `fromState` defaults to the saga's state. In a transaction it is written
   * with the COMMIT (SAGA_STEPS: a handler's steps in one INSERT, no round trip of their own), so
   * a step rolled back with its transaction or savepoint is never written; outside one, at once.
   */
  async log(manager: EntityManager, saga: SagaEntity<S, D> | string, step: SagaStepRecord): Promise<void> {
    const id = typeof saga === 'string' ? saga : saga.id;
    const span = trace.getSpanContext(context.active());
    const values: StepValues = [
      id,
      step.kind,
      step.messageType ?? null,
      step.messageId ?? null,
      step.fromState !== undefined ? step.fromState : typeof saga === 'string' ? null : saga.state,
      step.toState ?? null,
      step.reason ?? null,
      span && isSpanContextValid(span) ? span.traceId : null,
    ];
    const runner = manager.queryRunner;
    if (runner?.isTransactionActive) {
      writeWithCommit(runner, SAGA_STEPS, { values, loggedAt: performance.now() });
      return;
    }
    await manager.query(`INSERT INTO saga_step (${STEP_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, values);
  }

  /** The saga's step log as committed (steps of a transaction under way are written by its COMMIT). */
  steps(manager: EntityManager, id: string): Promise<SagaStepEntity[]> {
    return manager.find(SagaStepEntity, { where: { sagaId: id }, order: { id: 'ASC' } });
  }

  private async write(manager: EntityManager, saga: SagaEntity<S, D>, state: S, deadlineAt: Date | null): Promise<void> {
    if (changesNothing(manager, saga, state, deadlineAt)) return;
    const updatedAt = new Date();
    // manager.query gives an UPDATE's [rows, affected count].
    const [, affected] = (await manager.query(
      `UPDATE saga SET state = $3, deadline_at = $4, data = $5, version = $6, updated_at = $7 WHERE id = $1 AND version = $2`,
      [saga.id, saga.version, state, deadlineAt, JSON.stringify(saga.data), saga.version + 1, updatedAt],
    )) as [unknown, number];
    if (affected !== 1) throw new Error(`${this.definition.type} saga ${saga.id} changed concurrently (version ${saga.version})`);
    saga.state = state;
    saga.deadlineAt = deadlineAt;
    saga.version += 1;
    saga.updatedAt = updatedAt;
    hold(manager, saga);
  }
}
