import { ArrayMinSize, IsArray, IsNotEmpty, IsString, Matches, MaxLength } from 'class-validator';
import { defineEvent } from '../registry/message-definition.js';

export class WebhookSubscriptionCreatedSealed {
  @IsString()
  @IsNotEmpty()
  subscriptionId: string;

  @IsString()
  @IsNotEmpty()
  tenantId: string;

  /**
   * An http or https URL as the gateway accepted it (WHATWG URL syntax, which also reads numeric
   * hosts such as `http://134744072/`); whether its host may be reached is checked when sending.
   */
  @IsString()
  @Matches(/^https?:\/\/\S+$/i)
  @MaxLength(2000)
  url: string;

  /**
   * Order statuses and notices bare (`shipped`, `refund_requested`: the public names without
   * `order.`), return statuses and notices with their prefix (`return.approved`,
   * `return.refund_requested`: a bare `approved` is the order's), or `*` for all.
   */
  @IsArray()
  @ArrayMinSize(1)
  @IsString({ each: true })
  events: string[];

  /**
   * The Standard Webhooks signing secret (`whsec_…`) sealed with AES-256-GCM under
   * WEBHOOK_SECRET_KEY, the subscription id as associated data (`sealSecret` of @skald/service-kit):
   * neither the outbox row nor the broker holds it readable.
   */
  @IsString()
  @IsNotEmpty()
  encryptedSecret: string;
}

export const WebhookSubscriptionCreatedV2 = defineEvent({
  type: 'gateway.webhook-subscription.created',
  version: 2,
  owner: 'gateway',
  summary: 'A platform subscribed a URL to order and return events; its signing secret travels sealed.',
  payload: WebhookSubscriptionCreatedSealed,
});
