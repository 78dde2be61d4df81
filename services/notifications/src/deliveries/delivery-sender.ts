import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { EmailSender } from '../channels/email-sender.js';
import { refused, type SendOutcome } from '../channels/send-outcome.js';
import { SmsSender } from '../channels/sms-sender.js';
import { WebhookSender } from '../channels/webhook-sender.js';
import { WebhookSubscriptionsService } from '../subscriptions/webhook-subscriptions.service.js';
import type { ClaimedDelivery } from './deliveries.repository.js';
import { DELIVERY_CHANNELS, type DeliveryChannel, type EmailPayload, type SmsPayload, type WebhookPayload } from './delivery.entity.js';

/** Hands a claimed delivery to the adapter of its channel. */
@Injectable()
export class DeliverySender {
  constructor(
    private readonly email: EmailSender,
    private readonly sms: SmsSender,
    private readonly webhook: WebhookSender,
    private readonly subscriptions: WebhookSubscriptionsService,
    private readonly dataSource: DataSource,
  ) {}

  /** Why this replica cannot send on a channel (not configured), or null. */
  unavailableReason(channel: DeliveryChannel): string | null {
    return this.adapter(channel).unavailableReason;
  }

  /** The channels this replica can send on. */
  availableChannels(): DeliveryChannel[] {
    return DELIVERY_CHANNELS.filter((channel) => this.unavailableReason(channel) === null);
  }

  /** Sends once. Never throws: every failure is an outcome. */
  async send(delivery: ClaimedDelivery): Promise<SendOutcome> {
    try {
      switch (delivery.channel) {
        case 'email': {
          const { subject, text, html } = delivery.payload as EmailPayload;
          return await this.email.send({ deliveryId: delivery.id, to: delivery.target, subject, text, html });
        }
        case 'sms':
          return await this.sms.send({ deliveryId: delivery.id, to: delivery.target, body: (delivery.payload as SmsPayload).body });
        case 'webhook': {
          const subscription = await this.subscriptions.find(this.dataSource.manager, delivery.target);
          if (!subscription) return refused(`webhook subscription ${delivery.target} does not exist`, false);
          return await this.webhook.send({
            deliveryId: delivery.id,
            url: subscription.url,
            secrets: this.subscriptions.signingSecrets(subscription),
            body: (delivery.payload as WebhookPayload).body,
          });
        }
        default:
          return refused(`unknown channel ${String(delivery.channel)}`, false);
      }
    } catch (error) {
      return refused(`unexpected error: ${(error as Error).message}`, true);
    }
  }

  private adapter(channel: DeliveryChannel): { unavailableReason: string | null } {
    switch (channel) {
      case 'email':
        return this.email;
      case 'sms':
        return this.sms;
      case 'webhook':
        return this.webhook;
    }
  }
}
