import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { decideDeadline, SagaDeadlineLoop, type SagaTrigger } from '@skald/saga';
import { SERVICE_CONFIG } from '@skald/service-kit';
import { DataSource, type EntityManager } from 'typeorm';
import type { ReturnsConfig } from '../config/returns-config.js';
import { decideReturnDeadline, type ReturnSagaData, type ReturnSagaState } from './return-saga.definition.js';
import { ReturnSagaStore } from './return-saga.store.js';

const DEADLINE: SagaTrigger = { type: 'saga.deadline', id: null };

/**
 * Acts on due return-saga deadlines as the table in return-saga.definition.ts says: a return
 * waiting for review or inspection past its time is flagged overdue (`overdue` in the return and
 * the review queue). The deadlines of receipt, refund and exchange are not acted on yet (those
 * steps are still to be built): they are logged and looked at again after the reply timeout. Safe with several replicas: each due saga is taken with its return
 * row locked `SKIP LOCKED` (the routes lock the return first too) and re-checked under the lock.
 */
@Injectable()
export class ReturnSagaScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ReturnSagaScheduler.name);
  private readonly loop: SagaDeadlineLoop<ReturnSagaState, ReturnSagaData>;

  constructor(
    dataSource: DataSource,
    private readonly sagas: ReturnSagaStore,
    @Inject(SERVICE_CONFIG) config: ReturnsConfig,
  ) {
    this.loop = new SagaDeadlineLoop(dataSource, sagas, (manager, id) => this.actOn(manager, id), { intervalMs: config.RETURN_SCHEDULER_INTERVAL_MS });
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.loop.stop();
  }

  runOnce(): Promise<number> {
    return this.loop.runOnce();
  }

  private async actOn(manager: EntityManager, id: string): Promise<boolean> {
    const [locked] = (await manager.query(`SELECT id FROM return_request WHERE id = $1 FOR UPDATE SKIP LOCKED`, [id])) as unknown[];
    if (!locked) return false;
    const saga = await this.sagas.lock(manager, id);
    if (!saga || !saga.deadlineAt || !this.sagas.isDue(saga)) return false;
    await this.sagas.log(manager, saga, { kind: 'timeout', messageType: DEADLINE.type, reason: `deadline ${saga.deadlineAt.toISOString()} due in ${saga.state}` });
    const decision = decideDeadline(this.sagas.definition, saga.state, saga.data, this.sagas.retry);
    if (decision?.do !== 'decide') {
      // Receipt, refund and exchange deadlines belong to steps not built yet (issue 10): logged, checked again later.
      this.logger.warn(`return ${id}: deadline in ${saga.state} (${decision?.do ?? 'none'}) not acted on yet`);
      await this.sagas.save(manager, saga, new Date(Date.now() + this.sagas.retry.replyTimeoutMs));
      return true;
    }
    const next = decideReturnDeadline(saga);
    if (next.do === 'flag_overdue') {
      saga.data = { ...saga.data, overdue: true };
      await this.sagas.reschedule(manager, saga);
      await this.sagas.log(manager, saga, { kind: 'timeout', messageType: DEADLINE.type, reason: next.reason });
    }
    return true;
  }
}
