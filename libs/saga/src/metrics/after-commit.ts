import type { DataSource, EntityManager, EntitySubscriberInterface, QueryRunner } from 'typeorm';

/** Where a query runner keeps what waits for its transaction's commit. */
const KEY = 'skaldAfterCommit';

interface Pending {
  run: () => void;
  /** The transaction depth it was queued at: 1 at the top, 2 inside the first savepoint, … */
  depth: number;
}

const hooked = new WeakSet<DataSource>();

function pendingOf(runner: QueryRunner): Pending[] {
  return (runner.data?.[KEY] as Pending[] | undefined) ?? [];
}

/** The runner's transaction depth (TypeORM keeps it, without a public type, on its PostgreSQL runner). */
function depthOf(runner: QueryRunner): number {
  return (runner as unknown as { transactionDepth: number }).transactionDepth;
}

const subscriber: EntitySubscriberInterface = {
  afterTransactionCommit: ({ queryRunner }) => {
    // A released savepoint is not yet a commit: only the top-level COMMIT ends the transaction. What it
    // queued belongs to the enclosing transaction from now on (a later sibling savepoint's rollback must
    // not drop it): its depth becomes the one the runner is back at.
    if (queryRunner.isTransactionActive) {
      const depth = depthOf(queryRunner);
      queryRunner.data = { ...queryRunner.data, [KEY]: pendingOf(queryRunner).map((entry) => (entry.depth > depth ? { ...entry, depth } : entry)) };
      return;
    }
    const pending = pendingOf(queryRunner);
    queryRunner.data = { ...queryRunner.data, [KEY]: [] };
    for (const entry of pending) entry.run();
  },
  afterTransactionRollback: ({ queryRunner }) => {
    // A rollback at depth d (now d - 1) undoes what was queued at depth d or deeper.
    const depth = queryRunner.isTransactionActive ? depthOf(queryRunner) : 0;
    queryRunner.data = { ...queryRunner.data, [KEY]: pendingOf(queryRunner).filter((entry) => entry.depth <= depth) };
  },
};

/**
 * Runs `run` once the transaction of `manager` commits, never if it rolls back (at once outside a
 * transaction). Metrics of a saga's moves are observed this way: a step retried after a version
 * conflict or a failed handler counts once, as the state change it made.
 */
export function afterCommit(manager: EntityManager, run: () => void): void {
  const runner = manager.queryRunner;
  if (!runner?.isTransactionActive) {
    run();
    return;
  }
  const dataSource = manager.connection;
  if (!hooked.has(dataSource)) {
    dataSource.subscribers.push(subscriber);
    hooked.add(dataSource);
  }
  runner.data = { ...runner.data, [KEY]: [...pendingOf(runner), { run, depth: depthOf(runner) }] };
}
