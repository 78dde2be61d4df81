import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { OrderSagaEntity, SagaStepEntity, type SagaState, type SagaStepKind } from './order-saga.entity.js';

export interface SagaStepRecord {
  kind: SagaStepKind;
  messageType?: string | null;
  messageId?: string | null;
  fromState?: string | null;
  toState?: string | null;
  reason?: string | null;
}

@Injectable()
export class SagaRepository {
  async create(manager: EntityManager, orderId: string, state: SagaState, deadlineAt: Date | null): Promise<OrderSagaEntity> {
    const saga: OrderSagaEntity = { orderId, state, version: 1, deadlineAt, data: {}, createdAt: new Date(), updatedAt: new Date() };
    await manager.insert(OrderSagaEntity, saga);
    return saga;
  }

  /** The saga row, locked for the rest of the transaction. */
  lock(manager: EntityManager, orderId: string): Promise<OrderSagaEntity | null> {
    return manager.createQueryBuilder(OrderSagaEntity, 's').setLock('pessimistic_write').where('s.order_id = :orderId', { orderId }).getOne();
  }

  find(manager: EntityManager, orderId: string): Promise<OrderSagaEntity | null> {
    return manager.findOneBy(OrderSagaEntity, { orderId });
  }

  /**
   * Ids of sagas whose deadline is due, most overdue first. Not locked: the scheduler takes each
   * with its order row `SKIP LOCKED` and checks the deadline again under the lock.
   */
  async dueIds(manager: EntityManager, limit: number): Promise<string[]> {
    const rows: Array<{ order_id: string }> = await manager.query(
      `SELECT order_id FROM order_saga WHERE deadline_at IS NOT NULL AND deadline_at <= now() ORDER BY deadline_at LIMIT $1`,
      [limit],
    );
    return rows.map((row) => row.order_id);
  }

  /** Moves the saga on; the version check makes a concurrent writer's stale update fail loudly. */
  async transition(manager: EntityManager, saga: OrderSagaEntity, state: SagaState, deadlineAt: Date | null): Promise<void> {
    await this.write(manager, saga, state, deadlineAt);
  }

  /** Saves the saga's data (and deadline) in its current state. */
  async save(manager: EntityManager, saga: OrderSagaEntity, deadlineAt: Date | null): Promise<void> {
    await this.write(manager, saga, saga.state, deadlineAt);
  }

  private async write(manager: EntityManager, saga: OrderSagaEntity, state: SagaState, deadlineAt: Date | null): Promise<void> {
    const result = await manager.update(
      OrderSagaEntity,
      { orderId: saga.orderId, version: saga.version },
      { state, deadlineAt, data: saga.data, version: saga.version + 1, updatedAt: new Date() },
    );
    if ((result.affected ?? 0) !== 1) throw new Error(`saga ${saga.orderId} changed concurrently (version ${saga.version})`);
    saga.state = state;
    saga.deadlineAt = deadlineAt;
    saga.version += 1;
  }

  async log(manager: EntityManager, sagaId: string, step: SagaStepRecord): Promise<void> {
    await manager.insert(SagaStepEntity, {
      sagaId,
      kind: step.kind,
      messageType: step.messageType ?? null,
      messageId: step.messageId ?? null,
      fromState: step.fromState ?? null,
      toState: step.toState ?? null,
      reason: step.reason ?? null,
    });
  }

  steps(manager: EntityManager, sagaId: string): Promise<SagaStepEntity[]> {
    return manager.find(SagaStepEntity, { where: { sagaId }, order: { id: 'ASC' } });
  }
}
