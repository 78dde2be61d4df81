import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { ReviewOrderV1 } from '@skald/contracts';
import { Outbox } from '@skald/messaging';
import { SERVICE_CONFIG } from '@skald/service-kit';
import { DataSource, type EntityManager } from 'typeorm';
import type { OrdersConfig } from '../config/orders-config.js';
import { OrderCompensation } from './order-compensation.service.js';
import { TERMINAL_SAGA_STATES } from './order-saga.entity.js';
import { OrderSaga } from './order-saga.service.js';
import { SagaSteps, type Incoming, type SagaStep, type Send } from './saga-steps.js';
import { requestSender } from './senders.js';

const DEADLINE: Incoming = { type: 'saga.deadline', id: null };
const BATCH = 50;

/**
 * Acts on due saga deadlines, so that nothing waits forever: re-sends an unanswered command
 * (with back-off) and gives up after SAGA_MAX_RESENDS by cancelling the order; cancels an order
 * held for review too long, a backorder past its deadline, a fulfilment that never started; gives
 * up a partial order's backordered rest; completes a shipped order whose deliveries were never
 * confirmed; keeps re-sending a compensation and marks its saga stuck. Safe with several replicas:
 * each due saga is taken with its order row locked `SKIP LOCKED` and re-checked under the lock.
 */
@Injectable()
export class SagaScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(SagaScheduler.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: Outbox,
    private readonly steps: SagaSteps,
    private readonly saga: OrderSaga,
    private readonly compensation: OrderCompensation,
    @Inject(SERVICE_CONFIG) private readonly config: OrdersConfig,
  ) {}

  onApplicationBootstrap(): void {
    // Called once for the HTTP app and once for its connected microservice: one timer only.
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.runOnce()
        .catch((error: Error) => this.logger.error(`saga deadlines: ${error.message}`))
        .finally(() => (this.running = undefined));
    }, this.config.SAGA_SCHEDULER_INTERVAL_MS);
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** One round: acts on the sagas due now. @returns how many it acted on. */
  async runOnce(): Promise<number> {
    const due = await this.steps.sagas.dueIds(this.dataSource.manager, BATCH);
    let acted = 0;
    for (const orderId of due) {
      try {
        if (await this.dataSource.transaction((manager) => this.actOn(manager, orderId))) acted += 1;
      } catch (error) {
        this.logger.error(`saga ${orderId}: acting on its deadline failed (retried next round): ${(error as Error).message}`);
      }
    }
    return acted;
  }

  private async actOn(manager: EntityManager, orderId: string): Promise<boolean> {
    const [locked] = (await manager.query(`SELECT id FROM sales_order WHERE id = $1 FOR UPDATE SKIP LOCKED`, [orderId])) as unknown[];
    if (!locked) return false; // another replica (or a message handler) has it now
    const order = await this.steps.orders.lock(manager, orderId);
    const saga = order ? await this.steps.sagas.lock(manager, orderId) : null;
    if (!order || !saga || TERMINAL_SAGA_STATES.includes(saga.state) || !saga.deadlineAt || saga.deadlineAt.getTime() > Date.now()) return false;
    const step: SagaStep = { order, saga };
    const send = requestSender(this.outbox, manager, order);
    await this.steps.log(manager, saga, 'timeout', DEADLINE, { reason: `deadline ${saga.deadlineAt.toISOString()} due in ${saga.state}` });
    switch (saga.state) {
      case 'reviewing':
        await this.resendOrGiveUp(manager, step, send, () => send(ReviewOrderV1, { orderId }).then(() => undefined));
        break;
      case 'reserving':
        await this.resendOrGiveUp(manager, step, send, () => this.steps.reserve(manager, step, send, true));
        break;
      case 'releasing':
        if (this.backorderDue(step)) await this.compensation.cancelRest(manager, step, send, 'BACKORDER_DEADLINE');
        else await this.resendOrGiveUp(manager, step, send, () => this.resendNotes(manager, step, send));
        break;
      case 'awaiting_review':
        await this.cancel(manager, step, send, 'REVIEW_TIMEOUT', 'no reviewer decided in time');
        break;
      case 'backordered':
        await this.cancel(manager, step, send, 'BACKORDER_DEADLINE', `stock did not arrive by ${saga.data.backorderDeadline ?? saga.deadlineAt.toISOString()}`);
        break;
      case 'fulfilling':
        await this.fulfilmentDue(manager, step, send);
        break;
      case 'awaiting_delivery':
        await this.steps.enter(manager, saga, 'completed', 'DELIVERY_UNCONFIRMED: no delivery confirmation in time; completed as shipped', DEADLINE);
        break;
      case 'cancelling':
        await this.compensationDue(manager, step, send);
        break;
    }
    return true;
  }

  private async fulfilmentDue(manager: EntityManager, step: SagaStep, send: Send): Promise<void> {
    const { saga } = step;
    if (this.backorderDue(step)) {
      await this.compensation.cancelRest(manager, step, send, 'BACKORDER_DEADLINE');
      await this.saga.advanceFulfilment(manager, step, send, DEADLINE, 'BACKORDER_DEADLINE: backordered rest cancelled');
      return;
    }
    const notes = await this.steps.orders.notes(manager, saga.orderId);
    if (!notes.some((n) => n.status === 'shipped' || n.status === 'delivered')) {
      await this.cancel(manager, step, send, 'FULFILMENT_TIMEOUT', 'the warehouse did not ship in time');
      return;
    }
    await this.markStuck(manager, step, 'part of the order shipped, the rest did not in time');
  }

  /** A partial order's backordered rest whose deadline has come. */
  private backorderDue({ saga }: SagaStep): boolean {
    return Boolean(saga.data.backorderOpen && saga.data.backorderDeadline && Date.parse(saga.data.backorderDeadline) <= Date.now());
  }

  /** A compensation keeps going until answered; after SAGA_MAX_RESENDS the saga shows as stuck. */
  private async compensationDue(manager: EntityManager, step: SagaStep, send: Send): Promise<void> {
    const { saga } = step;
    const resends = (saga.data.resends ?? 0) + 1;
    const stuck = resends > this.steps.deadlines.maxResends;
    if (stuck && !saga.data.stuck) this.logger.error(`saga ${saga.orderId}: compensation unanswered after ${resends - 1} re-sends; stuck (still retrying)`);
    saga.data = { ...saga.data, resends, stuck };
    await this.steps.sagas.save(manager, saga, this.steps.deadlines.retry(resends));
    await this.compensation.resend(manager, step, send);
  }

  private async resendOrGiveUp(manager: EntityManager, step: SagaStep, send: Send, resend: () => Promise<void>): Promise<void> {
    const { saga } = step;
    const resends = (saga.data.resends ?? 0) + 1;
    if (resends > this.steps.deadlines.maxResends) {
      await this.cancel(manager, step, send, 'SAGA_TIMEOUT', `no answer in ${saga.state} after ${resends - 1} re-sends`);
      return;
    }
    saga.data = { ...saga.data, resends };
    await this.steps.sagas.save(manager, saga, this.steps.deadlines.retry(resends));
    await resend();
  }

  private async resendNotes(manager: EntityManager, step: SagaStep, send: Send): Promise<void> {
    const reservations = (await this.steps.orders.reservations(manager, step.order.id)).filter((r) => !r.released);
    for (const batch of step.saga.data.notesSent ?? []) {
      await this.saga.sendNotes(manager, step, send, batch, reservations.filter((r) => r.batch === batch));
    }
  }

  private async cancel(manager: EntityManager, step: SagaStep, send: Send, code: string, reason: string): Promise<void> {
    await this.compensation.start(manager, step, send, { code, reason, requestedBy: 'saga-scheduler' }, DEADLINE);
  }

  private async markStuck(manager: EntityManager, step: SagaStep, why: string): Promise<void> {
    const { saga } = step;
    const resends = (saga.data.resends ?? 0) + 1;
    saga.data = { ...saga.data, resends, stuck: true };
    await this.steps.sagas.save(manager, saga, this.steps.deadlines.retry(resends));
    await this.steps.log(manager, saga, 'timeout', DEADLINE, { reason: `stuck: ${why}` });
    this.logger.error(`saga ${saga.orderId} stuck in ${saga.state}: ${why}`);
  }
}
