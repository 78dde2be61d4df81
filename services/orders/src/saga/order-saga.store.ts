import { Inject, Injectable } from '@nestjs/common';
import { retryPolicyOf, SagaStore, type RetryPolicy } from '@skald/saga';
import { SERVICE_CONFIG } from '@skald/service-kit';
import type { OrdersConfig } from '../config/orders-config.js';
import { ORDER_SAGA, orderSagaDeadline, type OrderSagaData, type OrderSagaState, type OrderSagaTimeouts } from './order-saga.definition.js';

const MINUTE = 60_000;

/** The order sagas (rows of type `order` in `saga`, with their step log), timed by the service's configuration. */
@Injectable()
export class OrderSagaStore extends SagaStore<OrderSagaState, OrderSagaData> {
  /** Re-sends of unanswered commands: SAGA_REPLY_TIMEOUT_MS doubling, SAGA_MAX_RESENDS of them. */
  readonly retry: RetryPolicy;

  constructor(@Inject(SERVICE_CONFIG) config: OrdersConfig) {
    const timeouts: OrderSagaTimeouts = {
      reply: config.SAGA_REPLY_TIMEOUT_MS,
      reviewHold: config.REVIEW_HOLD_TIMEOUT_MINUTES * MINUTE,
      fulfilment: config.FULFILMENT_TIMEOUT_MINUTES * MINUTE,
      deliveryConfirmation: config.DELIVERY_CONFIRMATION_TIMEOUT_MINUTES * MINUTE,
    };
    super(ORDER_SAGA, (state, data, now) => orderSagaDeadline(timeouts, state, data, now));
    this.retry = retryPolicyOf(config);
  }
}
