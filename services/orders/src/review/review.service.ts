import { Injectable } from '@nestjs/common';
import { SkaldError, normalizeAmount } from '@skald/contracts';
import { Outbox } from '@skald/messaging';
import type { Caller } from '@skald/service-kit';
import { DataSource, type EntityManager } from 'typeorm';
import { CatalogRepository } from '../catalog/catalog.repository.js';
import { CustomersRepository } from '../customers/customers.repository.js';
import type { ReviewRecord } from '../orders/order.entity.js';
import { OrdersRepository } from '../orders/orders.repository.js';
import { ORDER_REQUESTS } from '../saga/order-saga.definition.js';
import { OrderSaga } from '../saga/order-saga.service.js';
import { SagaSteps, type Incoming, type Send } from '../saga/saga-steps.js';
import { requestSender } from '../saga/senders.js';
import { TenantPolicyRepository } from '../tenants/tenant-policy.repository.js';
import type { PendingReviewDto, ReviewDecidedDto } from './review.dto.js';
import { reviewOrder } from './review-rules.js';
import { resolveShortagePolicy } from './shortage-policy.js';

@Injectable()
export class ReviewService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: Outbox,
    private readonly orders: OrdersRepository,
    private readonly catalog: CatalogRepository,
    private readonly policies: TenantPolicyRepository,
    private readonly customers: CustomersRepository,
    private readonly saga: OrderSaga,
    private readonly steps: SagaSteps,
  ) {}

  /** The automatic review of a received order (handler of orders.review-order.v1). */
  async review(manager: EntityManager, orderId: string, send: Send, incoming: Incoming): Promise<void> {
    const step = await this.steps.begin(manager, orderId, incoming);
    if (!step) return;
    const { order, saga } = step;
    const policy = await this.policies.find(manager, order.tenantId);
    if (!policy) {
      // The gateway registers a platform before handing out its key; its event can be a moment late.
      throw new SkaldError('TENANT_UNKNOWN', `no review settings for tenant ${order.tenantId} yet`);
    }
    const lines = await this.orders.lines(manager, order.id);
    const catalog = await this.catalog.bySku(manager, [...new Set(lines.map((line) => line.sku))]);
    const key = { tenantId: order.tenantId, customerId: order.customerId };
    const customer = await this.customers.lock(manager, key);
    const openUnpaid = await this.orders.openUnpaidAmount(manager, key, order.currency, order.id);
    const result = reviewOrder({
      currency: order.currency,
      totalAmount: order.totalAmount,
      paymentStatus: order.paymentStatus,
      paymentAmount: order.paymentAmount,
      customer: order.customer,
      shippingAddress: order.shippingAddress,
      lines,
      catalog,
      policy: { priceTolerancePct: Number(policy.priceTolerancePct), reviewAmountThreshold: policy.reviewAmountThreshold },
      credit: {
        limit: customer.creditLimit === null ? null : normalizeAmount(customer.creditLimit),
        currency: customer.currency,
        openUnpaid: normalizeAmount(openUnpaid),
      },
    });
    const record: ReviewRecord = { outcome: result.outcome, reasons: result.reasons, reviewedAt: new Date().toISOString() };
    await this.orders.saveReviewOutcome(manager, order, record, resolveShortagePolicy(order.shortagePolicy, policy, order.createdAt));
    await this.saga.reviewed(manager, { order, saga, lines }, record, send, incoming);
  }

  /** A reviewer approves or rejects a held order. */
  async decide(manager: EntityManager, caller: Caller, orderId: string, decision: 'approve' | 'reject', reason: string): Promise<ReviewDecidedDto> {
    const order = await this.orders.lock(manager, orderId);
    if (!order) throw new SkaldError('ORDER_NOT_FOUND', `no order ${orderId}`, { retryable: false });
    const step = await this.steps.begin(manager, orderId, { type: ORDER_REQUESTS.reviewDecided, id: null });
    if (!step || order.status !== 'on_hold') {
      throw new SkaldError('ORDER_NOT_ON_HOLD', `order ${orderId} is ${order.status}, not waiting for a review`, {
        retryable: false,
        details: { status: order.status },
      });
    }
    const record: ReviewRecord = {
      ...(order.review ?? { outcome: 'on_hold', reasons: [], reviewedAt: new Date().toISOString() }),
      decision: { decision, reason, decidedBy: caller.principalId, decidedAt: new Date().toISOString() },
    };
    await this.orders.saveReview(manager, order, record);
    await this.saga.reviewed(manager, { order, saga: step.saga }, record, requestSender(this.outbox, manager, order));
    return { id: order.id, status: order.status };
  }

  async pending(): Promise<PendingReviewDto[]> {
    const held = await this.orders.onHold(this.dataSource.manager);
    return held.map((order) => ({
      id: order.id,
      tenantId: order.tenantId,
      externalId: order.externalId,
      totalAmount: normalizeAmount(order.totalAmount),
      currency: order.currency,
      customerId: order.customerId,
      reasons: order.review?.reasons ?? [],
      heldAt: order.updatedAt.toISOString(),
    }));
  }
}
