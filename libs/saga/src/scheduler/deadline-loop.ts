import { Logger } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import type { SagaMechanismData } from '../definition/deadlines.js';
import type { SagaStore } from '../persistence/saga-store.js';

export interface DeadlineLoopOptions {
  intervalMs: number;
  /** Sagas taken per round. */
  batch?: number;
}

/**
 * The timer of a saga's scheduler: every interval, the sagas whose deadline is due are acted on,
 * each in a transaction of its own (one failing is retried next round, the others go on). Safe
 * with several replicas: `act` takes the saga `SKIP LOCKED` and checks it is still due under the
 * lock, so a saga is acted on by one replica once. Rounds never overlap; `stop` waits for the
 * running one.
 */
export class SagaDeadlineLoop<S extends string, D extends SagaMechanismData> {
  private readonly logger: Logger;
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly store: SagaStore<S, D>,
    /** Acts on one due saga in `manager`'s transaction; false when it was not (taken elsewhere, no longer due). */
    private readonly act: (manager: EntityManager, id: string) => Promise<boolean>,
    private readonly options: DeadlineLoopOptions,
  ) {
    this.logger = new Logger(`SagaDeadlines(${store.definition.type})`);
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.runOnce()
        .catch((error: Error) => this.logger.error(`saga deadlines: ${error.message}`))
        .finally(() => (this.running = undefined));
    }, this.options.intervalMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** One round: acts on the sagas due now. @returns how many it acted on. */
  async runOnce(): Promise<number> {
    const due = await this.store.dueIds(this.dataSource.manager, this.options.batch ?? 50);
    let acted = 0;
    for (const id of due) {
      try {
        if (await this.dataSource.transaction((manager) => this.act(manager, id))) acted += 1;
      } catch (error) {
        this.logger.error(`${this.store.definition.type} saga ${id}: acting on its deadline failed (retried next round): ${(error as Error).message}`);
      }
    }
    return acted;
  }
}
