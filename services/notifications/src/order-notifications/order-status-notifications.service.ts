import { Injectable, Logger } from '@nestjs/common';
import type { MessageEnvelope, OrderStatus, OrderStatusChanged } from '@skald/contracts';
import type { EntityManager } from 'typeorm';
import { webhookTimestamp } from '../channels/webhook-timestamp.js';
import { DeliveryPlanner, type PlannedDelivery } from '../deliveries/delivery-planner.service.js';
import { WebhookSubscriptionsService, orderEventType } from '../subscriptions/webhook-subscriptions.service.js';
import { orderStatusSms } from '../templates/order-status-sms.js';
import { orderStatusEmail, type OrderStatusView } from '../templates/order-status/index.js';

/** Statuses a customer also gets an SMS for (when the order has a phone number). */
export const SMS_STATUSES: readonly OrderStatus[] = ['partially_shipped', 'shipped', 'delivered'];

/** The webhook body of an order status change (Standard Webhooks shape: type, timestamp, data). */
export interface OrderWebhookBody extends Record<string, unknown> {
  type: string;
  timestamp: string;
  data: {
    orderId: string;
    externalId: string;
    status: OrderStatus;
    previousStatus: OrderStatus | null;
    reason: string | null;
    shipments: Array<{ shipmentId: string; carrier: string; trackingNumber: string }>;
  };
}

/** Tells the customer (e-mail, SMS) and the platform (webhooks) that an order's status changed. */
@Injectable()
export class OrderStatusNotificationsService {
  private readonly logger = new Logger(OrderStatusNotificationsService.name);

  constructor(
    private readonly planner: DeliveryPlanner,
    private readonly subscriptions: WebhookSubscriptionsService,
  ) {}

  /**
   * Plans, in the handler's transaction, an e-mail to the customer, an SMS for (partially) shipped
   * and delivered orders, and a webhook to each of the tenant's subscriptions to `order.<status>` (or `*`).
   */
  async planStatusChange(manager: EntityManager, envelope: MessageEnvelope, change: OrderStatusChanged): Promise<void> {
    const view: OrderStatusView = {
      externalId: change.externalId,
      customerName: change.customer.name,
      status: change.status,
      previousStatus: change.previousStatus ?? null,
      reason: change.reason ?? null,
      shipments: change.shipments ?? [],
    };
    const planned: PlannedDelivery[] = [{ channel: 'email', target: change.customer.email, payload: orderStatusEmail(view) }];
    if (change.customer.phone && SMS_STATUSES.includes(change.status)) {
      planned.push({ channel: 'sms', target: change.customer.phone, payload: { body: orderStatusSms(view) } });
    }
    if (envelope.tenantId) {
      const body = webhookBody(change);
      for (const subscription of await this.subscriptions.listeningTo(manager, envelope.tenantId, change.status)) {
        planned.push({ channel: 'webhook', target: subscription.id, payload: { body } });
      }
    } else {
      this.logger.warn(`status change of order ${change.orderId} has no tenant: no webhooks`);
    }
    const created = await this.planner.plan(manager, { messageId: envelope.id, tenantId: envelope.tenantId, orderId: change.orderId }, planned);
    this.logger.log(`order ${change.orderId} ${change.status}: ${created} delivery(ies) planned`);
  }
}

function webhookBody(change: OrderStatusChanged): OrderWebhookBody {
  return {
    type: orderEventType(change.status),
    timestamp: webhookTimestamp(change.changedAt),
    data: {
      orderId: change.orderId,
      externalId: change.externalId,
      status: change.status,
      previousStatus: change.previousStatus ?? null,
      reason: change.reason ?? null,
      shipments: (change.shipments ?? []).map(({ shipmentId, carrier, trackingNumber }) => ({ shipmentId, carrier, trackingNumber })),
    },
  };
}
