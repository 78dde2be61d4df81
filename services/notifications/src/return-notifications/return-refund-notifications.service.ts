import { Injectable, Logger } from '@nestjs/common';
import type { MessageEnvelope, ReturnRefundRequested } from '@skald/contracts';
import type { EntityManager } from 'typeorm';
import { DeliveryPlanner, type PlannedDelivery } from '../deliveries/delivery-planner.service.js';
import { returnEventType, WebhookSubscriptionsService } from '../subscriptions/webhook-subscriptions.service.js';
import { webhookTimestamp } from '../channels/webhook-timestamp.js';

/** The webhook body of a return's refund instruction (Standard Webhooks shape: type, timestamp, data). */
export interface ReturnRefundWebhookBody extends Record<string, unknown> {
  type: string;
  timestamp: string;
  data: {
    /** Unique per refund: the platform deduplicates on it (the `webhook-id` only tells retries of one delivery apart). */
    refundId: string;
    returnId: string;
    rmaNumber: string;
    orderId: string;
    externalId: string;
    amount: string;
    currency: string;
    lines: Array<{ sku: string; quantity: number; grade: string; amount: string }>;
  };
}

/** Instructs the platform (signed webhooks) to refund an inspected return. */
@Injectable()
export class ReturnRefundNotificationsService {
  private readonly logger = new Logger(ReturnRefundNotificationsService.name);

  constructor(
    private readonly planner: DeliveryPlanner,
    private readonly subscriptions: WebhookSubscriptionsService,
  ) {}

  /** Plans, in the handler's transaction, a webhook to each of the tenant's subscriptions to `return.refund_requested` (or `*`). */
  async planRefundRequested(manager: EntityManager, envelope: MessageEnvelope, refund: ReturnRefundRequested): Promise<void> {
    if (!envelope.tenantId) {
      this.logger.warn(`refund ${refund.refundId} of return ${refund.rmaNumber} has no tenant: no platform to instruct`);
      return;
    }
    const subscriptions = await this.subscriptions.listeningToReturn(manager, envelope.tenantId, 'refund_requested');
    if (subscriptions.length === 0) {
      this.logger.warn(`refund ${refund.refundId} of return ${refund.rmaNumber}: no subscription of ${envelope.tenantId} to return.refund_requested`);
      return;
    }
    const body = webhookBody(envelope, refund);
    const planned: PlannedDelivery[] = subscriptions.map((subscription) => ({ channel: 'webhook', target: subscription.id, payload: { body } }));
    const created = await this.planner.plan(manager, { messageId: envelope.id, tenantId: envelope.tenantId, orderId: refund.orderId }, planned);
    this.logger.log(`refund ${refund.refundId} of return ${refund.rmaNumber}: ${created} webhook(s) planned`);
  }
}

function webhookBody(envelope: MessageEnvelope, refund: ReturnRefundRequested): ReturnRefundWebhookBody {
  return {
    // When returns asked for the refund.
    type: returnEventType('refund_requested'),
    timestamp: webhookTimestamp(envelope.occurredAt),
    data: {
      refundId: refund.refundId,
      returnId: refund.returnId,
      rmaNumber: refund.rmaNumber,
      orderId: refund.orderId,
      externalId: refund.externalId,
      amount: refund.amount,
      currency: refund.currency,
      lines: refund.lines.map(({ sku, quantity, grade, amount }) => ({ sku, quantity, grade, amount })),
    },
  };
}
