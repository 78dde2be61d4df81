import type { OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import type { SagaServiceConfig } from '../config/saga-config.js';
import type { SagaMechanismData } from '../definition/deadlines.js';
import { watchSagas } from '../metrics/saga-metrics.js';
import type { SagaStore } from '../persistence/saga-store.js';
import { SagaDeadlineLoop } from './deadline-loop.js';

/**
 * A saga's scheduler in a Nest service: the deadline loop starts with the application (once,
 * though Nest bootstraps the HTTP app and its microservice) and stops, waiting for its round, on
 * shutdown. The saga says what a due deadline does (`actOn`, in the round's transaction). Its
 * sagas are counted, by state, on the service's /metrics (`watchSagas`).
 */
export abstract class SagaScheduler<S extends string, D extends SagaMechanismData> implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly loop: SagaDeadlineLoop<S, D>;

  protected constructor(dataSource: DataSource, store: SagaStore<S, D>, config: SagaServiceConfig) {
    this.loop = new SagaDeadlineLoop(dataSource, store, (manager, id) => this.actOn(manager, id), { intervalMs: config.SAGA_SCHEDULER_INTERVAL_MS });
    // Overdue: a minute and a few rounds past its deadline, later than any round that merely comes next.
    watchSagas(dataSource, store.definition, 60_000 + 3 * config.SAGA_SCHEDULER_INTERVAL_MS);
  }

  /** Acts on one due saga; false when it was not (taken elsewhere, no longer due). */
  protected abstract actOn(manager: EntityManager, id: string): Promise<boolean>;

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.loop.stop();
  }

  /** One round now: acts on the sagas due. @returns how many it acted on. */
  runOnce(): Promise<number> {
    return this.loop.runOnce();
  }
}
