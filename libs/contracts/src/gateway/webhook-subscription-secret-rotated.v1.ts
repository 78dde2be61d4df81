import { IsISO8601, IsNotEmpty, IsString } from 'class-validator';
import { defineEvent } from '../registry/message-definition.js';

export class WebhookSubscriptionSecretRotated {
  @IsString()
  @IsNotEmpty()
  subscriptionId: string;

  @IsString()
  @IsNotEmpty()
  tenantId: string;

  /** The new signing secret, sealed as in WebhookSubscriptionCreatedSealed.encryptedSecret. */
  @IsString()
  @IsNotEmpty()
  encryptedSecret: string;

  /** Until when deliveries are signed with the secret it replaces as well (ISO 8601). */
  @IsISO8601()
  previousSecretExpiresAt: string;
}

export const WebhookSubscriptionSecretRotatedV1 = defineEvent({
  type: 'gateway.webhook-subscription.secret-rotated',
  version: 1,
  owner: 'gateway',
  summary: "A platform rotated a subscription's signing secret; the previous one still signs until it expires.",
  payload: WebhookSubscriptionSecretRotated,
});
