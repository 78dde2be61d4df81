import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { decideDeadline, SagaDeadlineLoop, type SagaTrigger } from '@skald/saga';
import { SERVICE_CONFIG } from '@skald/service-kit';
import { DataSource, type EntityManager } from 'typeorm';
import type { ReturnsConfig } from '../config/returns-config.js';
import { decideReturnDeadline, type ReturnSagaData, type ReturnSagaState } from './return-saga.definition.js';
import { ReturnSaga } from './return-saga.service.js';
import { ReturnSagaStore } from './return-saga.store.js';
import { ReturnSteps } from './return-steps.js';

const DEADLINE: SagaTrigger = { type: 'saga.deadline', id: null };

/**
 * Acts on due return-saga deadlines as the table in return-saga.definition.ts says: a return
 * waiting for review or inspection past its time is flagged overdue (never decided for people);
 * goods that never arrive cancel the return (the warehouse is told); an unanswered booking,
 * replacement order or cancellation is re-sent with back-off (stuck, and still re-sent, after the
 * last); a refunded or exchanged return closes. Safe with several replicas: each due return is
 * taken `SKIP LOCKED` (requests and handlers lock the return first too) and re-checked under the lock.
 */
@Injectable()
export class ReturnSagaScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ReturnSagaScheduler.name);
  private readonly loop: SagaDeadlineLoop<ReturnSagaState, ReturnSagaData>;

  constructor(
    dataSource: DataSource,
    private readonly sagas: ReturnSagaStore,
    private readonly steps: ReturnSteps,
    private readonly saga: ReturnSaga,
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
    const step = await this.steps.lockIfFree(manager, id);
    if (!step) return false;
    const { saga } = step;
    if (!saga.deadlineAt || !this.sagas.isDue(saga)) return false;
    await this.sagas.log(manager, saga, { kind: 'timeout', messageType: DEADLINE.type, reason: `deadline ${saga.deadlineAt.toISOString()} due in ${saga.state}` });
    const send = this.steps.requestSender(manager, step.request);
    const decision = decideDeadline(this.sagas.definition, saga.state, saga.data, this.sagas.retry);
    switch (decision?.do) {
      case 'decide': {
        const next = decideReturnDeadline(saga);
        if (next.do === 'flag_overdue') {
          saga.data = { ...saga.data, overdue: true };
          await this.sagas.reschedule(manager, saga);
          await this.sagas.log(manager, saga, { kind: 'timeout', messageType: DEADLINE.type, reason: next.reason });
          this.logger.warn(`return ${id} (${step.request.rmaNumber}): ${next.reason}`);
        }
        break;
      }
      case 'cancel':
        await this.saga.startCancelling(manager, step, `${decision.code}: ${decision.reason}`, 'saga-scheduler', send, DEADLINE);
        break;
      case 'compensate':
        if (decision.newlyStuck) this.logger.error(`return ${id}: cancellation unanswered after ${decision.resends - 1} re-sends; stuck (still retrying)`);
        saga.data = { ...saga.data, resends: decision.resends, stuck: decision.stuck };
        await this.sagas.save(manager, saga, decision.retryAt);
        await this.saga.resendCancellation(manager, step, send);
        break;
      case 'resend':
      case 'give_up': {
        // The goods are booked or being booked: giving up would lose them. Past the last re-send the return shows as stuck and is still re-sent.
        const resends = (saga.data.resends ?? 0) + 1;
        const stuck = decision.do === 'give_up';
        if (stuck && !saga.data.stuck) this.logger.error(`return ${id} stuck in ${saga.state}: no answer after ${resends - 1} re-sends (still retrying)`);
        saga.data = { ...saga.data, resends, stuck: stuck || saga.data.stuck };
        await this.sagas.save(manager, saga, decision.do === 'resend' ? decision.retryAt : new Date(Date.now() + 3_600_000));
        if (saga.state === 'inspected') await this.saga.book(manager, step, send);
        else await this.saga.placeReplacement(manager, step, send);
        break;
      }
      case 'complete':
        await this.steps.moveTo(manager, step, decision.to, decision.reason, DEADLINE);
        break;
    }
    return true;
  }
}
