import { Global, Injectable, Logger, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { SkaldError } from '@skald/contracts';
import { connectionOf, sendWithCommit, startTransactionWith } from '@skald/persistence';
import { DataSource, type EntityManager } from 'typeorm';
import type { IdempotentCall } from './idempotent-call.js';
import { IdempotentRequestRepository, type RecordedRequest } from './idempotent-request.repository.js';

/**
 * How long a service remembers a key. The gateway remembers a client's key 24 h from its first
 * request and only forwards it meanwhile; a service's record is written later and pruned by the
 * hour, so it outlives the gateway's.
 */
export const IDEMPOTENT_REQUEST_RETENTION_MS = 24 * 3_600_000;
const PRUNE_EVERY_MS = 3_600_000;
const PRUNE_BATCH = 5_000;

/**
 * Runs a state-changing route once per idempotency key. The key is inserted first in the route's
 * own transaction and its outcome stored before that transaction commits, so the effect and the
 * record commit (or roll back) together: a repeat answers the recorded outcome with no second
 * effect, a concurrent duplicate waits on the key's row until the first commits, and a request
 * that fails (validation, business rule, crash) records nothing, so a corrected retry runs.
 */
@Injectable()
export class IdempotentRequests {
  constructor(
    private readonly dataSource: DataSource,
    private readonly requests: IdempotentRequestRepository,
  ) {}

  /**
   * Opens the route's transaction and runs `work` in it, unless the call's key was answered
   * before: then the recorded answer comes back (marked `Idempotent-Replayed: true`) and `work`
   * does not run. Without a key this is a plain transaction. `work` returns the response body.
   * @throws SkaldError IDEMPOTENCY_KEY_REUSED (422) when the key was used for another route or body.
   */
  async transaction<T>(call: IdempotentCall, work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const key = call.key;
    if (key === undefined) return this.dataSource.transaction(work);
    // The record can vanish between a conflicting insert and its read (pruned): then run again.
    for (let attempt = 0; attempt < 3; attempt++) {
      const outcome = await this.keyedTransaction(key, call, work);
      if ('fresh' in outcome) return outcome.fresh;
      const { recorded } = outcome;
      if (!recorded) continue;
      if (recorded.route !== call.route || recorded.requestHash !== call.requestHash) {
        throw new SkaldError(
          'IDEMPOTENCY_KEY_REUSED',
          `This idempotency key was used for another request (${recorded.route} with its own body); use a new key for a new request.`,
          { retryable: false },
        );
      }
      call.markReplayed();
      return recorded.response as T;
    }
    throw new Error(`idempotency key ${key} kept vanishing`);
  }

  /**
   * One attempt of a keyed route: its transaction starts with the key's insert, in one round trip,
   * and the outcome's update goes out with the COMMIT (two round trips fewer than a transaction
   * of its own statements, on every state-changing request). As `DataSource.transaction` does, a
   * failure rolls back and the runner is released in every case.
   */
  private async keyedTransaction<T>(key: string, call: IdempotentCall, work: (manager: EntityManager) => Promise<T>): Promise<{ fresh: T } | { recorded?: RecordedRequest }> {
    const runner = this.dataSource.createQueryRunner();
    try {
      const client = await connectionOf(runner);
      const literal = (value: string) => client.escapeLiteral(value);
      const inserted = await startTransactionWith(runner, this.requests.insertStatement(literal, key, call.route, call.requestHash));
      if (inserted.rowCount !== 1) {
        const recorded = await this.requests.find(runner.manager, key);
        await runner.rollbackTransaction();
        return { recorded };
      }
      const response = await work(runner.manager);
      sendWithCommit(runner, this.requests.completeStatement(literal, key, call.statusCode, response));
      await runner.commitTransaction();
      return { fresh: response };
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw error;
    } finally {
      await runner.release();
    }
  }

  /** Deletes records older than the retention, in batches. @returns how many. */
  async prune(manager: EntityManager = this.dataSource.manager, retentionMs = IDEMPOTENT_REQUEST_RETENTION_MS): Promise<number> {
    let total = 0;
    for (;;) {
      const deleted = await this.requests.deleteOlderThan(manager, retentionMs, PRUNE_BATCH);
      total += deleted;
      if (deleted < PRUNE_BATCH) return total;
    }
  }
}

/** Prunes old idempotency records every hour; safe on many replicas (a row is deleted once). */
@Injectable()
export class IdempotentRequestsPruner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('IdempotentRequests');
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(private readonly requests: IdempotentRequests) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.running = this.requests.prune().catch((error: Error) => this.logger.warn(`idempotency record prune failed: ${error.message}`));
    }, PRUNE_EVERY_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}

/**
 * Idempotent state-changing routes for a service: `IdempotentRequests` everywhere (global), and
 * the hourly pruning. The service lists `idempotentRequestMigrations` in its migrations.
 */
@Global()
@Module({
  providers: [IdempotentRequestRepository, IdempotentRequests, IdempotentRequestsPruner],
  exports: [IdempotentRequests],
})
export class IdempotentRequestsModule {}
