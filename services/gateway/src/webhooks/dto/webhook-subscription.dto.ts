import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsString, IsUrl, MaxLength } from 'class-validator';
import { WEBHOOK_EVENTS } from '../webhook-events.js';

export class CreateWebhookSubscriptionDto {
  @ApiProperty({ description: 'Where Skald POSTs the events (http or https).', format: 'uri', maxLength: 2000, example: 'https://shop.example.org/skald/webhooks' })
  @IsString()
  @MaxLength(2000)
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true }, { message: 'url must be an http or https URL' })
  url: string;

  @ApiProperty({ description: 'Order events to receive, or `*` for all.', type: [String], enum: WEBHOOK_EVENTS, minItems: 1, example: ['order.shipped', 'order.delivered'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(WEBHOOK_EVENTS.length)
  @ArrayUnique()
  @IsIn(WEBHOOK_EVENTS, { each: true, message: `each event must be one of ${WEBHOOK_EVENTS.join(', ')}` })
  events: string[];
}

/** A new subscription. `secret` signs its deliveries (Standard Webhooks) and is shown only here. */
export class WebhookSubscriptionCreatedDto {
  @ApiProperty()
  id: string;

  @ApiProperty({ format: 'uri' })
  url: string;

  @ApiProperty({ type: [String], enum: WEBHOOK_EVENTS })
  events: string[];

  @ApiProperty({
    description: 'The Standard Webhooks signing secret (`whsec_` + base64). Shown once: store it now.',
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  })
  secret: string;
}
