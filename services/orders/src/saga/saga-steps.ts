import { Injectable, Logger } from '@nestjs/common';
import {
  OrderStatusChangedV1,
  RefundRequestedV1,
  ReserveStockV1,
  type MessageDefinition,
  type MessageEnvelope,
  type OnShortage,
  type OrderStatus,
  fromUnits, toUnits
} from '@skald/contracts';
import type { SagaStepKind, SagaTrigger } from '@skald/saga';
import type { EntityManager } from 'typeorm';
import type { OrderShipmentEntity } from '../orders/fulfilment.entities.js';
import type { OrderLineEntity } from '../orders/order-line.entity.js';
import type { OrderEntity } from '../orders/order.entity.js';
import { OrdersRepository } from '../orders/orders.repository.js';
import type { OrderSagaRow, OrderSagaState } from './order-saga.definition.js';
import { OrderSagaStore } from './order-saga.store.js';

/** Sends a message within the current transaction (outbox), caused by the current one if any. */
export type Send = <P extends object>(definition: MessageDefinition<P>, payload: P) => Promise<MessageEnvelope<P>>;

/** What started a step, for the saga's step log: a message (type, id), a request or the scheduler (id null). */
export type Incoming = SagaTrigger;

/** The order's saga's deadline as the trigger of what the scheduler does. */
export const DEADLINE: Incoming = { type: 'saga.deadline', id: null };

export interface SagaStep {
  order: OrderEntity;
  saga: OrderSagaRow;
  /** The order's lines, when the step has read them already (the review): not read again. */
  lines?: OrderLineEntity[];
  /** The order's shipments, when the step has them from recording one: not read again. */
  shipments?: OrderShipmentEntity[];
}

/** Lines still to be delivered: ordered minus cancelled. */
export function remainingLines(lines: readonly OrderLineEntity[]): Array<{ sku: string; quantity: number }> {
  return lines.filter((line) => line.quantity > line.cancelledQuantity).map((line) => ({ sku: line.sku, quantity: line.quantity - line.cancelledQuantity }));
}

/**
 * The order saga's primitives, in the caller's transaction: lock the order and its saga and
 * check the saga's table accepts what arrived; move order status and saga state together
 * (history, step log, notification); send commands; reserve stock per the shortage policy;
 * instruct refunds. The table itself: order-saga.definition.ts.
 */
@Injectable()
export class SagaSteps {
  private readonly logger = new Logger('OrderSaga');

  constructor(
    private readonly orders: OrdersRepository,
    private readonly sagas: OrderSagaStore,
  ) {}

  /** The order and its saga, both locked until the transaction ends, in one statement (order first); null if either is missing. */
  async lock(manager: EntityManager, orderId: string): Promise<SagaStep | null> {
    const locked = await this.sagas.lockWithSubject<OrderEntity>(manager, orderId, this.orders.sagaSubject);
    return locked && { order: locked.subject, saga: locked.saga };
  }

  /**
   * Locks the order and its saga and checks the saga acts on `incoming` in its state.
   * @returns null for an unknown order, or a duplicate or late message (logged, no effect).
   */
  async begin(manager: EntityManager, orderId: string, incoming: Incoming): Promise<SagaStep | null> {
    const step = await this.lock(manager, orderId);
    if (!step) {
      this.logger.warn(`${incoming.type} ${incoming.id} for unknown order ${orderId}: ignored`);
      return null;
    }
    return (await this.sagas.receive(manager, step.saga, incoming)) ? step : null;
  }

  /** Order status and saga state change together, with history, step log and notification. */
  async moveTo(
    manager: EntityManager,
    step: SagaStep,
    status: OrderStatus,
    state: OrderSagaState,
    reason: string | null,
    send: Send,
    incoming?: Incoming,
  ): Promise<void> {
    const previous = step.order.status;
    await this.orders.setStatus(manager, step.order, status, reason);
    await this.sagas.enter(manager, step.saga, state, reason, incoming);
    await this.announce(manager, step, previous, reason, send);
  }

  /**
   * A new order's first status, `received`, with history and notification. Its saga, just
   * created in its initial state, stays as written (moveTo would only save it again).
   */
  async received(manager: EntityManager, step: SagaStep, send: Send): Promise<void> {
    if (step.saga.state !== this.sagas.definition.initial) throw new Error(`order ${step.order.id}: saga in ${step.saga.state}, not new`);
    const previous = step.order.status;
    await this.orders.setStatus(manager, step.order, 'received', null);
    await this.announce(manager, step, previous, null, send);
  }

  /** The order's new status as an event (with its shipments once it ships). */
  private async announce(manager: EntityManager, { order, shipments: known }: SagaStep, previous: OrderStatus, reason: string | null, send: Send): Promise<void> {
    const status = order.status;
    // Only the shipping statuses carry shipments; no read for the others.
    const shipped = status === 'shipped' || status === 'partially_shipped' || status === 'delivered';
    const shipments = shipped ? (known ?? (await this.orders.shipments(manager, order.id))) : [];
    await send(OrderStatusChangedV1, {
      orderId: order.id,
      externalId: order.externalId,
      status,
      previousStatus: previous === status ? null : previous,
      reason,
      customer: order.customer,
      shipments: shipments.map((s) => ({ shipmentId: s.shipmentId, carrier: s.carrier, trackingNumber: s.trackingNumber })),
      changedAt: new Date().toISOString(),
      ...(order.replacementFor ? { replacementFor: { returnId: order.replacementFor.returnId, rmaNumber: order.replacementFor.rmaNumber } } : {}),
    });
  }

  /** Sends a command of the saga and logs it. */
  async command<P extends object>(manager: EntityManager, saga: OrderSagaRow, send: Send, definition: MessageDefinition<P>, payload: P, kind: SagaStepKind = 'command_sent'): Promise<void> {
    const sent = await send(definition, payload);
    await this.sagas.log(manager, saga, { kind, messageType: definition.routingKey, messageId: sent.id });
  }

  async log(manager: EntityManager, saga: OrderSagaRow, kind: SagaStepKind, incoming?: Incoming, extra: { reason?: string; toState?: string } = {}): Promise<void> {
    await this.sagas.log(manager, saga, { kind, messageType: incoming?.type, messageId: incoming?.id, toState: extra.toState, reason: extra.reason });
  }
  /**
   * Asks inventory to reserve what is left of the order, as its shortage policy says: `reject`
   * all or nothing; `backorder` what is there and the rest waits; `partial` what is there and
   * the rest waits or is given up (`partialRemainder`). The saga must be in `reserving`.
   * `resend`: the same attempt again (inventory answers it with its first decision).
   */
  async reserve(manager: EntityManager, step: SagaStep, send: Send, resend = false): Promise<void> {
    this.countReservation(step.saga, resend);
    await this.sagas.save(manager, step.saga);
    await this.requestReservation(manager, step, send);
  }

  /**
   * `reserve` in two halves, for a caller that moves the saga in between: the attempt counted in
   * the saga's data first (written by that move: one write of the saga, not two) …
   */
  countReservation(saga: OrderSagaRow, resend = false): void {
    const attempt = resend ? (saga.data.reserveAttempt ?? 1) : (saga.data.reserveAttempt ?? 0) + 1;
    saga.data = { ...saga.data, reserveAttempt: attempt };
  }

  /** … then the command of that attempt, sent and logged. */
  async requestReservation(manager: EntityManager, { order, saga, lines }: SagaStep, send: Send): Promise<void> {
    const policy = order.shortagePolicy ?? { mode: 'reject', backorderDeadline: null, partialRemainder: null };
    const onShortage: OnShortage =
      policy.mode === 'reject' ? 'reject' : policy.mode === 'partial' && policy.partialRemainder === 'cancel' ? 'take_available' : 'backorder';
    // A backordered reservation is held at least until the backorder gives up.
    const holdUntil = onShortage === 'backorder' && policy.backorderDeadline ? new Date(Date.parse(policy.backorderDeadline) + 3_600_000).toISOString() : null;
    await this.command(manager, saga, send, ReserveStockV1, {
      orderId: order.id,
      lines: remainingLines(lines ?? (await this.orders.lines(manager, order.id))),
      onShortage,
      attempt: saga.data.reserveAttempt ?? 1,
      holdUntil,
    });
  }

  /**
   * A refund instruction for a paid order (the platform refunds; notifications tells it by
   * webhook): `amount`, or with `amount` null everything paid and not refunded yet. Never more
   * than was paid, over all refunds of the order.
   */
  async refund(
    manager: EntityManager,
    { order, saga }: SagaStep,
    send: Send,
    refund: { key: string; amount: bigint | null; scope: 'order_cancelled' | 'lines_cancelled'; reason: string },
  ): Promise<void> {
    if (order.paymentStatus !== 'paid') return;
    const refunded = toUnits(saga.data.refunded ?? '0');
    const left = toUnits(order.paymentAmount) - refunded;
    const amount = refund.amount === null || refund.amount > left ? left : refund.amount;
    if (amount <= 0n) return;
    saga.data = { ...saga.data, refunded: fromUnits(refunded + amount) };
    await this.command(
      manager,
      saga,
      send,
      RefundRequestedV1,
      {
        refundId: `${order.id}:${refund.key}`,
        orderId: order.id,
        externalId: order.externalId,
        amount: fromUnits(amount),
        currency: order.currency,
        scope: refund.scope,
        reason: refund.reason,
      },
      'compensation',
    );
  }
}
