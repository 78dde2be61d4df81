import { ApiProperty } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsString,
  IsUUID,
  MaxLength,
  Validate,
  ValidatorConstraint,
  type ValidatorConstraintInterface,
} from 'class-validator';
import { WEBHOOK_EVENTS } from '../webhook-events.js';

/**
 * An absolute http or https URL as the WHATWG parser (and so the sender) reads it. Numeric hosts
 * such as `http://2130706433/` parse (to 127.0.0.1): whether a host may be a target is the
 * target policy's question (WEBHOOK_URL_FORBIDDEN), not a format error.
 */
@ValidatorConstraint({ name: 'httpUrl' })
class HttpUrl implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    if (typeof value !== 'string' || !/^https?:\/\//i.test(value)) return false;
    try {
      const url = new URL(value);
      return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
    } catch {
      return false;
    }
  }

  defaultMessage(): string {
    return 'url must be an http or https URL';
  }
}

export class CreateWebhookSubscriptionDto {
  @ApiProperty({
    description:
      'Where Skald POSTs the events (http or https, no credentials). The host must be on the public internet: loopback, private, ' +
      'link-local and other non-public addresses, and `localhost`, are refused (WEBHOOK_URL_FORBIDDEN).',
    format: 'uri',
    maxLength: 2000,
    example: 'https://shop.example.org/skald/webhooks',
  })
  @IsString()
  @MaxLength(2000)
  @Validate(HttpUrl)
  url: string;

  @ApiProperty({
    description:
      'Order and return events to receive (`order.<status>`, `order.refund_requested`, `return.<status>`, `return.refund_requested`), or `*` for all.',
    type: [String],
    enum: WEBHOOK_EVENTS,
    minItems: 1,
    example: ['order.shipped', 'return.approved', 'return.refund_requested'],
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(WEBHOOK_EVENTS.length)
  @ArrayUnique()
  @IsIn(WEBHOOK_EVENTS, { each: true, message: `each event must be one of ${WEBHOOK_EVENTS.join(', ')}` })
  events: string[];
}

export class WebhookIdParams {
  @ApiProperty({ description: 'The webhook subscription.', format: 'uuid' })
  @IsUUID()
  id: string;
}

/** A subscription as listed: never its secret. */
export class WebhookSubscriptionDto {
  @ApiProperty()
  id: string;

  @ApiProperty({ format: 'uri' })
  url: string;

  @ApiProperty({ type: [String], enum: WEBHOOK_EVENTS })
  events: string[];

  @ApiProperty({ format: 'date-time' })
  createdAt: string;
}

export class WebhookSubscriptionListDto {
  @ApiProperty({ type: [WebhookSubscriptionDto], description: 'Oldest first (at most WEBHOOK_MAX_SUBSCRIPTIONS_PER_PLATFORM, 20 by default).' })
  items: WebhookSubscriptionDto[];
}

/**
 * A new subscription. `secret` signs its deliveries (Standard Webhooks) and is shown only here: a
 * request replayed with the same Idempotency-Key answers without it (rotate the secret if it was lost).
 */
export class WebhookSubscriptionCreatedDto {
  @ApiProperty()
  id: string;

  @ApiProperty({ format: 'uri' })
  url: string;

  @ApiProperty({ type: [String], enum: WEBHOOK_EVENTS })
  events: string[];

  @ApiProperty({
    description:
      'The Standard Webhooks signing secret (`whsec_` + base64). Shown once: store it now. ' +
      'Absent from an answer replayed for a repeated Idempotency-Key.',
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    required: false,
  })
  secret?: string;
}

/** A rotated secret: the new one, shown once; the previous one still signs until `previousSecretExpiresAt`. */
export class WebhookSecretRotatedDto {
  @ApiProperty()
  id: string;

  @ApiProperty({ description: 'The new signing secret (`whsec_` + base64). Shown once: store it now.', example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' })
  secret: string;

  @ApiProperty({
    format: 'date-time',
    description: 'Until then every delivery carries two signatures (`v1,<new> v1,<previous>`); after it, only the new one.',
  })
  previousSecretExpiresAt: string;
}
