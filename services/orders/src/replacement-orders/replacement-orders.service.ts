import { Injectable } from '@nestjs/common';
import { ReplacementOrderPlacedV1, SkaldError, type PlaceReplacementOrder } from '@skald/contracts';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { IntakeService } from '../intake/intake.service.js';
import type { OrderLineEntity } from '../orders/order-line.entity.js';
import type { OrderEntity, ReviewRecord } from '../orders/order.entity.js';
import { OrdersRepository } from '../orders/orders.repository.js';
import { resolveShortagePolicy } from '../review/shortage-policy.js';
import { OrderSaga } from '../saga/order-saga.service.js';
import type { Incoming, Send } from '../saga/saga-steps.js';
import { TenantPolicyRepository } from '../tenants/tenant-policy.repository.js';

/**
 * An exchange's replacement order (returns' `orders.place-replacement-order`): a new order of the
 * same platform, customer and address for the returned SKUs, nothing to pay (its lines at 0: a
 * cancellation of it refunds nothing; the return refunds the goods instead), review skipped, the
 * original's shortage policy with a fresh backorder deadline. It runs through the order saga like
 * any order and names its return (`replacementFor`); the return names it back. Idempotent per
 * return: its externalId is `<original externalId>/<RMA number>`.
 */
@Injectable()
export class ReplacementOrders {
  constructor(
    private readonly orders: OrdersRepository,
    private readonly intake: IntakeService,
    private readonly saga: OrderSaga,
    private readonly policies: TenantPolicyRepository,
  ) {}

  async place(manager: EntityManager, command: PlaceReplacementOrder, send: Send, incoming: Incoming): Promise<void> {
    const original = await this.orders.findById(manager, command.orderId);
    if (!original) throw new SkaldError('ORDER_NOT_FOUND', `no order ${command.orderId} to replace goods of (return ${command.rmaNumber})`, { retryable: false });
    const externalId = `${original.externalId}/${command.rmaNumber}`;
    const existing = await this.orders.findByExternalId(manager, original.tenantId, externalId);
    if (existing) {
      await send(ReplacementOrderPlacedV1, { returnId: command.returnId, rmaNumber: command.rmaNumber, orderId: original.id, replacementOrderId: existing.id, externalId });
      return;
    }
    const id = randomUUID();
    const now = new Date();
    const lines: OrderLineEntity[] = command.lines.map((line, index) => ({ orderId: id, lineNo: index + 1, sku: line.sku, quantity: line.quantity, unitPrice: '0', cancelledQuantity: 0 }));
    const platform = await this.policies.find(manager, original.tenantId);
    const own = original.shortagePolicy && { ...original.shortagePolicy, backorderDeadline: null };
    const order: OrderEntity = {
      ...original,
      id,
      externalId,
      status: 'received',
      totalAmount: '0',
      paymentStatus: 'paid',
      paymentAmount: '0',
      requestedDeliveryDate: null,
      review: null,
      shortagePolicy: platform ? resolveShortagePolicy(own, platform, now) : (own ?? { mode: 'reject', backorderDeadline: null, partialRemainder: null }),
      replacementFor: { returnId: command.returnId, rmaNumber: command.rmaNumber, orderId: original.id },
      createdAt: now,
      updatedAt: now,
    };
    if (!(await this.orders.insertNew(manager, order, lines))) throw new Error(`replacement order ${externalId} inserted concurrently; retried`);
    const step = await this.intake.open(manager, order, lines, send);
    const review: ReviewRecord = { outcome: 'approved', reasons: [{ code: 'REPLACEMENT', message: `replaces the goods of return ${command.rmaNumber}: review skipped` }], reviewedAt: now.toISOString() };
    await this.orders.saveReview(manager, order, review);
    await this.saga.reviewed(manager, step, review, send, incoming);
    await send(ReplacementOrderPlacedV1, { returnId: command.returnId, rmaNumber: command.rmaNumber, orderId: original.id, replacementOrderId: id, externalId });
  }
}
