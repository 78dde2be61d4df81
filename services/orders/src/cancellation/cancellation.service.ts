import { Injectable } from '@nestjs/common';
import { SkaldError, type OrderStatus } from '@skald/contracts';
import { Outbox } from '@skald/messaging';
import type { Caller } from '@skald/service-kit';
import type { EntityManager } from 'typeorm';
import { OrdersRepository } from '../orders/orders.repository.js';
import { visibleTo } from '../orders/visibility.js';
import { OrderCompensation } from '../saga/order-compensation.service.js';
import { CANCELLABLE_STATES, ORDER_REQUESTS } from '../saga/order-saga.definition.js';
import { OrderSagaStore } from '../saga/order-saga.store.js';
import { requestSender } from '../saga/senders.js';
import type { CancellationAcceptedDto } from './cancellation.dto.js';

const SHIPPED: readonly OrderStatus[] = ['partially_shipped', 'shipped', 'delivered'];

/**
 * `POST /v1/orders/{id}/cancel`: allowed until shipment. The order and its saga are locked, so a
 * cancellation and a saga step in flight are serialised; a step that arrives after the
 * cancellation started is ignored by the saga, and the compensation undoes whatever it did.
 */
@Injectable()
export class CancellationService {
  constructor(
    private readonly outbox: Outbox,
    private readonly orders: OrdersRepository,
    private readonly sagas: OrderSagaStore,
    private readonly compensation: OrderCompensation,
  ) {}

  /**
   * @throws SkaldError(ORDER_NOT_FOUND) not there, or another platform's
   * @throws SkaldError(ORDER_SHIPPED) something has shipped: a return is the way
   * @throws SkaldError(ORDER_CLOSED) already cancelled or rejected
   */
  async cancel(manager: EntityManager, caller: Caller, id: string, reason: string): Promise<CancellationAcceptedDto> {
    const order = await this.orders.lock(manager, id);
    if (!order || !visibleTo(caller, order)) throw new SkaldError('ORDER_NOT_FOUND', `no order ${id}`, { retryable: false });
    const saga = await this.sagas.lock(manager, id);
    if (!saga) throw new Error(`order ${id} has no saga`);
    if (saga.state === 'cancelling') return { id, status: order.status, cancellation: 'compensating' };
    if (SHIPPED.includes(order.status) || !CANCELLABLE_STATES.includes(saga.state)) {
      if (SHIPPED.includes(order.status) || saga.state === 'awaiting_delivery' || saga.state === 'completed') {
        throw new SkaldError('ORDER_SHIPPED', `order ${id} is ${order.status}: it has shipped; a return is the way`, {
          retryable: false,
          details: { status: order.status },
        });
      }
      throw new SkaldError('ORDER_CLOSED', `order ${id} is ${order.status}: nothing to cancel`, { retryable: false, details: { status: order.status } });
    }
    const step = { order, saga };
    await this.compensation.start(manager, step, requestSender(this.outbox, manager, order), {
      code: 'CANCELLED',
      reason,
      requestedBy: caller.principalId,
    }, { type: ORDER_REQUESTS.cancel, id: null });
    return { id, status: order.status, cancellation: order.status === 'cancelled' ? 'cancelled' : 'compensating' };
  }
}
