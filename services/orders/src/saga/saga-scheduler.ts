import { Inject, Injectable, Logger } from '@nestjs/common';
import { ReviewOrderV1 } from '@skald/contracts';
import { Outbox } from '@skald/messaging';
import { decideDeadline, SagaScheduler as DeadlineScheduler } from '@skald/saga';
import { SERVICE_CONFIG } from '@skald/service-kit';
import { DataSource, type EntityManager } from 'typeorm';
import type { OrdersConfig } from '../config/orders-config.js';
import { OrdersRepository } from '../orders/orders.repository.js';
import { OrderCompensation } from './order-compensation.service.js';
import { decideOrderDeadline, type OrderSagaData, type OrderSagaState } from './order-saga.definition.js';
import { OrderSaga } from './order-saga.service.js';
import { OrderSagaStore } from './order-saga.store.js';
import { DEADLINE, SagaSteps, type SagaStep, type Send } from './saga-steps.js';
import { requestSender } from './senders.js';

/**
 * Acts on due order-saga deadlines, so that nothing waits forever, as the table in
 * order-saga.definition.ts says: re-sends an unanswered command (with back-off) and gives up after
 * SAGA_MAX_RESENDS by cancelling the order; cancels an order held for review too long, a backorder
 * past its deadline, a fulfilment that never started; gives up a partial order's backordered
 * rest; completes a shipped order whose deliveries were never confirmed; keeps re-sending a
 * compensation and marks its saga stuck. Safe with several replicas: each due saga is taken with
 * its order row locked `SKIP LOCKED` (handlers lock the order first too) and re-checked under the lock.
 */
@Injectable()
export class SagaScheduler extends DeadlineScheduler<OrderSagaState, OrderSagaData> {
  private readonly logger = new Logger(SagaScheduler.name);

  constructor(
    dataSource: DataSource,
    private readonly outbox: Outbox,
    private readonly orders: OrdersRepository,
    private readonly sagas: OrderSagaStore,
    private readonly steps: SagaSteps,
    private readonly saga: OrderSaga,
    private readonly compensation: OrderCompensation,
    @Inject(SERVICE_CONFIG) config: OrdersConfig,
  ) {
    super(dataSource, sagas, config);
  }

  protected async actOn(manager: EntityManager, orderId: string): Promise<boolean> {
    const [locked] = (await manager.query(`SELECT id FROM sales_order WHERE id = $1 FOR UPDATE SKIP LOCKED`, [orderId])) as unknown[];
    if (!locked) return false; // another replica (or a message handler) has it now
    const step = await this.steps.lock(manager, orderId);
    if (!step || !step.saga.deadlineAt || !this.sagas.isDue(step.saga)) return false;
    const { order, saga } = step;
    const deadlineAt = step.saga.deadlineAt;
    const send = requestSender(this.outbox, manager, order);
    await this.steps.log(manager, saga, 'timeout', DEADLINE, { reason: `deadline ${deadlineAt.toISOString()} due in ${saga.state}` });
    const decision = decideDeadline(this.sagas.definition, saga.state, saga.data, this.sagas.retry);
    switch (decision?.do) {
      case 'resend':
        saga.data = { ...saga.data, resends: decision.resends };
        await this.sagas.save(manager, saga, decision.retryAt);
        if (saga.state === 'reviewing') await send(ReviewOrderV1, { orderId });
        else await this.steps.reserve(manager, step, send, true);
        break;
      case 'give_up':
      case 'cancel':
        await this.cancel(manager, step, send, decision.code, `${decision.reason} (deadline ${deadlineAt.toISOString()})`);
        break;
      case 'complete':
        await this.sagas.enter(manager, saga, decision.to, decision.reason, DEADLINE);
        break;
      case 'compensate':
        if (decision.newlyStuck) this.logger.error(`saga ${saga.id}: compensation unanswered after ${decision.resends - 1} re-sends; stuck (still retrying)`);
        saga.data = { ...saga.data, resends: decision.resends, stuck: decision.stuck };
        await this.sagas.save(manager, saga, decision.retryAt);
        await this.compensation.resend(manager, step, send);
        break;
      case 'decide':
        await this.orderDeadline(manager, step, send);
        break;
    }
    return true;
  }

  /** `releasing` and `fulfilling`: what the deadline does depends on the order (decideOrderDeadline). */
  private async orderDeadline(manager: EntityManager, step: SagaStep, send: Send): Promise<void> {
    const { saga } = step;
    const notes = saga.state === 'fulfilling' ? await this.orders.notes(manager, saga.id) : [];
    const decision = decideOrderDeadline(saga, { someShipped: notes.some((n) => n.status === 'shipped' || n.status === 'delivered') }, this.sagas.retry);
    switch (decision.do) {
      case 'cancel_rest':
        await this.compensation.cancelRest(manager, step, send, 'BACKORDER_DEADLINE');
        break;
      case 'cancel_rest_and_advance':
        await this.compensation.cancelRest(manager, step, send, 'BACKORDER_DEADLINE');
        await this.saga.advanceFulfilment(manager, step, send, DEADLINE, 'BACKORDER_DEADLINE: backordered rest cancelled');
        break;
      case 'resend_notes': {
        saga.data = { ...saga.data, resends: decision.resends };
        await this.sagas.save(manager, saga, decision.retryAt);
        const reservations = (await this.orders.reservations(manager, step.order.id)).filter((r) => !r.released);
        for (const batch of saga.data.notesSent ?? []) {
          await this.saga.sendNotes(manager, step, send, batch, reservations.filter((r) => r.batch === batch));
        }
        break;
      }
      case 'give_up':
      case 'cancel':
        await this.cancel(manager, step, send, decision.code, decision.reason);
        break;
      case 'mark_stuck':
        saga.data = { ...saga.data, resends: decision.resends, stuck: true };
        await this.sagas.save(manager, saga, decision.retryAt);
        await this.steps.log(manager, saga, 'timeout', DEADLINE, { reason: `stuck: ${decision.why}` });
        this.logger.error(`saga ${saga.id} stuck in ${saga.state}: ${decision.why}`);
        break;
    }
  }

  private async cancel(manager: EntityManager, step: SagaStep, send: Send, code: string, reason: string): Promise<void> {
    await this.compensation.start(manager, step, send, { code, reason, requestedBy: 'saga-scheduler' }, DEADLINE);
  }
}
