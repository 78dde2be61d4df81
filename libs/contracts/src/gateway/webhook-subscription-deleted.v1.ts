import { IsNotEmpty, IsString } from 'class-validator';
import { defineEvent } from '../registry/message-definition.js';

export class WebhookSubscriptionDeleted {
  @IsString()
  @IsNotEmpty()
  subscriptionId: string;

  @IsString()
  @IsNotEmpty()
  tenantId: string;
}

export const WebhookSubscriptionDeletedV1 = defineEvent({
  type: 'gateway.webhook-subscription.deleted',
  version: 1,
  owner: 'gateway',
  summary: 'A platform ended a webhook subscription: nothing more is delivered to it, and its secrets are forgotten.',
  payload: WebhookSubscriptionDeleted,
});
