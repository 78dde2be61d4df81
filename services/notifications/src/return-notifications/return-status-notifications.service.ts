import { Injectable, Logger } from '@nestjs/common';
import type { MessageEnvelope, ReturnStatus, ReturnStatusChanged } from '@skald/contracts';
import type { EntityManager } from 'typeorm';
import { DeliveryPlanner, type PlannedDelivery } from '../deliveries/delivery-planner.service.js';
import { returnEventType, WebhookSubscriptionsService } from '../subscriptions/webhook-subscriptions.service.js';
import { customerReason, returnStatusEmail } from '../templates/return-status/index.js';
import { webhookTimestamp } from '../channels/webhook-timestamp.js';

/** The webhook body of a return status change (Standard Webhooks shape: type, timestamp, data). */
export interface ReturnWebhookBody extends Record<string, unknown> {
  type: string;
  timestamp: string;
  data: {
    returnId: string;
    rmaNumber: string;
    orderId: string;
    externalId: string;
    status: ReturnStatus;
    previousStatus: ReturnStatus | null;
    reason: string | null;
    /** With `refunded`: what was refunded (decimal string and currency); null otherwise. */
    refund: { amount: string; currency: string } | null;
  };
}

/** Tells the customer (e-mail) and the platform (webhooks) that a return (RMA) changed status. */
@Injectable()
export class ReturnStatusNotificationsService {
  private readonly logger = new Logger(ReturnStatusNotificationsService.name);

  constructor(
    private readonly planner: DeliveryPlanner,
    private readonly subscriptions: WebhookSubscriptionsService,
  ) {}

  /**
   * Plans, in the handler's transaction, an e-mail to the customer (for the statuses the customer
   * is told about) and a webhook to each of the tenant's subscriptions to `return.<status>` (or `*`).
   * The deliveries belong to the return's order (`order_id`), beside the order's own.
   */
  async planStatusChange(manager: EntityManager, envelope: MessageEnvelope, change: ReturnStatusChanged): Promise<void> {
    const planned: PlannedDelivery[] = [];
    const email = returnStatusEmail(change.status, {
      rmaNumber: change.rmaNumber,
      externalId: change.externalId,
      customerName: change.customer.name,
      reason: customerReason(change.reason),
      refund: refundOf(change),
    });
    if (email) planned.push({ channel: 'email', target: change.customer.email, payload: email });
    if (envelope.tenantId) {
      const body = webhookBody(change);
      for (const subscription of await this.subscriptions.listeningToReturn(manager, envelope.tenantId, change.status)) {
        planned.push({ channel: 'webhook', target: subscription.id, payload: { body } });
      }
    } else {
      this.logger.warn(`status change of return ${change.rmaNumber} (${change.returnId}) has no tenant: no webhooks`);
    }
    if (planned.length === 0) return;
    const created = await this.planner.plan(manager, { messageId: envelope.id, tenantId: envelope.tenantId, orderId: change.orderId }, planned);
    this.logger.log(`return ${change.rmaNumber} ${change.status}: ${created} delivery(ies) planned`);
  }
}

function refundOf(change: ReturnStatusChanged): { amount: string; currency: string } | null {
  return change.status === 'refunded' && change.refund ? { amount: change.refund.amount, currency: change.refund.currency } : null;
}

function webhookBody(change: ReturnStatusChanged): ReturnWebhookBody {
  return {
    type: returnEventType(change.status),
    timestamp: webhookTimestamp(change.changedAt),
    data: {
      returnId: change.returnId,
      rmaNumber: change.rmaNumber,
      orderId: change.orderId,
      externalId: change.externalId,
      status: change.status,
      previousStatus: change.previousStatus ?? null,
      reason: change.reason ?? null,
      refund: refundOf(change),
    },
  };
}
