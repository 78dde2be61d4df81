import { ArrayMinSize, IsArray, IsNotEmpty, IsString, IsUrl, MaxLength } from 'class-validator';
import { defineEvent } from '../registry/message-definition.js';

/**
 * Version 1 carried the signing secret in plain text, so it stayed readable in the gateway's outbox
 * and on the broker. The gateway publishes version 2 (a sealed secret) now; notifications still
 * takes version 1 from gateways not yet upgraded (docs/adr/0010).
 */
export class WebhookSubscriptionCreated {
  @IsString()
  @IsNotEmpty()
  subscriptionId: string;

  @IsString()
  @IsNotEmpty()
  tenantId: string;

  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  @MaxLength(2000)
  url: string;

  /** Order statuses (`shipped`, …; the public API's `order.shipped` without the prefix) or `*` for all. */
  @IsArray()
  @ArrayMinSize(1)
  @IsString({ each: true })
  events: string[];

  /** The Standard Webhooks signing secret (`whsec_…`); notifications signs deliveries with it. */
  @IsString()
  @IsNotEmpty()
  secret: string;
}

export const WebhookSubscriptionCreatedV1 = defineEvent({
  type: 'gateway.webhook-subscription.created',
  version: 1,
  owner: 'gateway',
  summary: 'A platform subscribed a URL to order events (deprecated: the secret in plain text; see version 2).',
  payload: WebhookSubscriptionCreated,
});
