import { Injectable, Logger } from '@nestjs/common';
import type { MessageEnvelope, RefundRequested } from '@skald/contracts';
import type { EntityManager } from 'typeorm';
import { webhookTimestamp } from '../channels/webhook-timestamp.js';
import { DeliveryPlanner, type PlannedDelivery } from '../deliveries/delivery-planner.service.js';
import { WebhookSubscriptionsService, orderEventType } from '../subscriptions/webhook-subscriptions.service.js';

/** The webhook body of a refund instruction (Standard Webhooks shape: type, timestamp, data). */
export interface RefundWebhookBody extends Record<string, unknown> {
  type: string;
  timestamp: string;
  data: {
    /** Unique per refund: the platform deduplicates on it (the `webhook-id` only tells retries of one delivery apart). */
    refundId: string;
    orderId: string;
    externalId: string;
    amount: string;
    currency: string;
    scope: RefundRequested['scope'];
    reason: string;
  };
}

/** Instructs the platform (signed webhooks) to refund a cancelled paid order, or its cancelled part. */
@Injectable()
export class RefundNotificationsService {
  private readonly logger = new Logger(RefundNotificationsService.name);

  constructor(
    private readonly planner: DeliveryPlanner,
    private readonly subscriptions: WebhookSubscriptionsService,
  ) {}

  /** Plans, in the handler's transaction, a webhook to each of the tenant's subscriptions to `order.refund_requested` (or `*`). */
  async planRefundRequested(manager: EntityManager, envelope: MessageEnvelope, refund: RefundRequested): Promise<void> {
    if (!envelope.tenantId) {
      this.logger.warn(`refund ${refund.refundId} of order ${refund.orderId} has no tenant: no platform to instruct`);
      return;
    }
    const subscriptions = await this.subscriptions.listeningTo(manager, envelope.tenantId, 'refund_requested');
    if (subscriptions.length === 0) {
      this.logger.warn(`refund ${refund.refundId} of order ${refund.orderId}: no subscription of ${envelope.tenantId} to order.refund_requested`);
      return;
    }
    const body = webhookBody(envelope, refund);
    const planned: PlannedDelivery[] = subscriptions.map((subscription) => ({ channel: 'webhook', target: subscription.id, payload: { body } }));
    const created = await this.planner.plan(manager, { messageId: envelope.id, tenantId: envelope.tenantId, orderId: refund.orderId }, planned);
    this.logger.log(`refund ${refund.refundId} of order ${refund.orderId}: ${created} webhook(s) planned`);
  }
}

function webhookBody(envelope: MessageEnvelope, refund: RefundRequested): RefundWebhookBody {
  return {
    type: orderEventType('refund_requested'),
    // When orders requested the refund.
    timestamp: webhookTimestamp(envelope.occurredAt),
    data: {
      refundId: refund.refundId,
      orderId: refund.orderId,
      externalId: refund.externalId,
      amount: refund.amount,
      currency: refund.currency,
      scope: refund.scope,
      reason: refund.reason,
    },
  };
}
