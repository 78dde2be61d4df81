import { Injectable } from '@nestjs/common';
import { OrderPlacedV1, ReviewOrderV1, SkaldError, fromUnits, lineTotal, toUnits } from '@skald/contracts';
import { Outbox } from '@skald/messaging';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { OrderLineEntity } from '../orders/order-line.entity.js';
import type { OrderEntity } from '../orders/order.entity.js';
import { OrdersRepository } from '../orders/orders.repository.js';
import { withRecipient } from '../orders/shipping-address.js';
import { backorderDeadlineProblem, DEFAULT_MAX_BACKORDER_DAYS } from '../review/shortage-policy.js';
import { requestSender } from '../saga/senders.js';
import { OrderSagaStore } from '../saga/order-saga.store.js';
import { SagaSteps, type SagaStep, type Send } from '../saga/saga-steps.js';
import { TenantPolicyRepository } from '../tenants/tenant-policy.repository.js';
import type { OrderAcceptedDto, PlaceOrderDto } from './place-order.dto.js';

/**
 * Order intake: the order, its saga and the first messages commit together — an accepted order
 * (202) is never lost, and review runs asynchronously (a command to ourselves), so intake never
 * waits on it and a failing review is retried, not a failed request.
 */
@Injectable()
export class IntakeService {
  constructor(
    private readonly outbox: Outbox,
    private readonly orders: OrdersRepository,
    private readonly sagas: OrderSagaStore,
    private readonly steps: SagaSteps,
    private readonly policies: TenantPolicyRepository,
  ) {}

  /** Places the order in the caller's transaction (the route's, which also records its idempotency key). */
  async place(manager: EntityManager, tenantId: string, dto: PlaceOrderDto): Promise<OrderAcceptedDto> {
    const deadline = dto.shortagePolicy?.backorderDeadline;
    // The platform's maximum; its registration may not have arrived yet: then the default.
    const maxBackorderDays =
      deadline === undefined ? DEFAULT_MAX_BACKORDER_DAYS : ((await this.policies.find(manager, tenantId))?.maxBackorderDays ?? DEFAULT_MAX_BACKORDER_DAYS);
    const deadlineProblem = deadline === undefined ? undefined : backorderDeadlineProblem(deadline, new Date(), maxBackorderDays);
    if (deadlineProblem === 'BACKORDER_DEADLINE_PAST') {
      throw new SkaldError(deadlineProblem, `shortagePolicy.backorderDeadline ${deadline} is not in the future`, { retryable: false });
    }
    if (deadlineProblem === 'BACKORDER_DEADLINE_TOO_FAR') {
      throw new SkaldError(deadlineProblem, `shortagePolicy.backorderDeadline ${deadline} is more than ${maxBackorderDays} days ahead`, {
        retryable: false,
        details: { maxBackorderDays },
      });
    }
    const id = randomUUID();
    const lines = dto.lines.map((line, index) => ({
      orderId: id,
      lineNo: index + 1,
      sku: line.sku,
      quantity: line.quantity,
      unitPrice: fromUnits(toUnits(line.unitPrice)),
      cancelledQuantity: 0,
    }));
    const order: OrderEntity = {
      id,
      tenantId,
      externalId: dto.externalId,
      channel: dto.channel,
      status: 'received',
      customerId: dto.customer.id,
      customer: { id: dto.customer.id, name: dto.customer.name, email: dto.customer.email, phone: dto.customer.phone ?? null },
      currency: dto.currency,
      totalAmount: lineTotal(lines),
      shippingAddress: withRecipient(dto.shippingAddress, dto.customer),
      paymentMethod: dto.payment.method,
      paymentStatus: dto.payment.status,
      paymentAmount: fromUnits(toUnits(dto.payment.amount)),
      requestedDeliveryDate: dto.requestedDeliveryDate?.slice(0, 10) ?? null,
      review: null,
      shortagePolicy: dto.shortagePolicy
        ? { mode: dto.shortagePolicy.mode, backorderDeadline: dto.shortagePolicy.backorderDeadline ?? null, partialRemainder: dto.shortagePolicy.partialRemainder ?? null }
        : null,
      replacementFor: null,
      createdAt: new Date(),
      updatedAt: new Date(),
    };
    if (!(await this.orders.insertNew(manager, order, lines))) {
      const existing = await this.orders.findByExternalId(manager, tenantId, dto.externalId);
      throw new SkaldError('ORDER_EXTERNAL_ID_EXISTS', `an order with externalId ${dto.externalId} exists already`, {
        retryable: false,
        details: { orderId: existing?.id },
      });
    }
    const send = requestSender(this.outbox, manager, order);
    const { saga } = await this.open(manager, order, lines, send);
    await this.steps.command(manager, saga, send, ReviewOrderV1, { orderId: id });
    return { id, status: 'received', externalId: dto.externalId };
  }

  /**
   * Opens a stored order's saga: the saga row, OrderPlaced (the order as accepted), status
   * `received` with its history, notification and step log. The caller sends what comes next (the
   * review, or for a replacement order the review's outcome).
   */
  async open(manager: EntityManager, order: OrderEntity, lines: OrderLineEntity[], send: Send): Promise<SagaStep> {
    const saga = await this.sagas.create(manager, order.id, {});
    const placed = await send(OrderPlacedV1, {
      orderId: order.id,
      externalId: order.externalId,
      channel: order.channel,
      customer: order.customer,
      lines: lines.map(({ sku, quantity, unitPrice }) => ({ sku, quantity, unitPrice })),
      currency: order.currency,
      totalAmount: order.totalAmount,
      shippingAddress: order.shippingAddress,
      paymentStatus: order.paymentStatus,
      requestedDeliveryDate: order.requestedDeliveryDate,
    });
    await this.sagas.log(manager, order.id, { kind: 'event_sent', messageType: OrderPlacedV1.routingKey, messageId: placed.id, toState: 'reviewing' });
    order.status = 'received';
    const step = { order, saga };
    await this.steps.received(manager, step, send);
    return step;
  }
}
