import { Inject, Injectable } from '@nestjs/common';
import { SERVICE_CONFIG } from '@skald/service-kit';
import type { OrdersConfig } from '../config/orders-config.js';
import type { SagaData, SagaState } from './order-saga.entity.js';

const MINUTE = 60_000;

/**
 * When a saga entering a state gives up waiting: every waiting state has a deadline, acted on by
 * the saga scheduler (re-send, cancel, or complete), so nothing waits forever. Terminal states
 * have none.
 */
@Injectable()
export class SagaDeadlines {
  private readonly waitMs: Record<Exclude<SagaState, 'completed' | 'rejected' | 'cancelled' | 'backordered'>, number>;

  constructor(@Inject(SERVICE_CONFIG) private readonly config: OrdersConfig) {
    this.waitMs = {
      reviewing: config.SAGA_REPLY_TIMEOUT_MS,
      awaiting_review: config.REVIEW_HOLD_TIMEOUT_MINUTES * MINUTE,
      reserving: config.SAGA_REPLY_TIMEOUT_MS,
      releasing: config.SAGA_REPLY_TIMEOUT_MS,
      fulfilling: config.FULFILMENT_TIMEOUT_MINUTES * MINUTE,
      awaiting_delivery: config.DELIVERY_CONFIRMATION_TIMEOUT_MINUTES * MINUTE,
      cancelling: config.SAGA_REPLY_TIMEOUT_MS,
    };
  }

  /**
   * The deadline of `state` entered now. A backorder waits until the order's backorder deadline;
   * a partial order's fulfilment also wakes at it (its backordered rest is then cancelled).
   */
  for(state: SagaState, data: SagaData, now = Date.now()): Date | null {
    if (state === 'completed' || state === 'rejected' || state === 'cancelled') return null;
    const backorderAt = data.backorderOpen && data.backorderDeadline ? Date.parse(data.backorderDeadline) : null;
    if (state === 'backordered') return new Date(backorderAt ?? now + this.config.SAGA_REPLY_TIMEOUT_MS);
    const own = now + this.waitMs[state];
    return new Date(backorderAt !== null && (state === 'releasing' || state === 'fulfilling') ? Math.min(own, backorderAt) : own);
  }

  /** The next re-send of an unanswered command: the reply timeout, doubling per re-send, at most an hour. */
  retry(resends: number, now = Date.now()): Date {
    return new Date(now + Math.min(this.config.SAGA_REPLY_TIMEOUT_MS * 2 ** resends, 60 * MINUTE));
  }

  get maxResends(): number {
    return this.config.SAGA_MAX_RESENDS;
  }
}
