import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiCreatedResponse, ApiOperation, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import type { Caller } from '@skald/service-kit';
import { DataSource } from 'typeorm';
import { AuthenticatedCaller, Authorize, tenantOf } from '../api-keys/authorize.decorator.js';
import { ProblemDto } from '@skald/service-kit';
import { Idempotent } from '../idempotency/idempotent.decorator.js';
import { CreateWebhookSubscriptionDto, WebhookSubscriptionCreatedDto } from './dto/webhook-subscription.dto.js';
import { WebhookSubscriptionService } from './webhook-subscription.service.js';

/** Platforms subscribe URLs to their orders' events; notifications delivers them, signed. */
@ApiTags('webhooks')
@Controller('v1/webhooks')
export class WebhooksController {
  constructor(
    private readonly webhooks: WebhookSubscriptionService,
    private readonly dataSource: DataSource,
  ) {}

  @Post()
  @HttpCode(HttpStatus.CREATED)
  @Authorize({ platforms: true })
  @Idempotent()
  @ApiOperation({
    summary: 'Subscribe a URL to order events',
    description: 'Deliveries are signed with the returned secret (Standard Webhooks: webhook-id, webhook-timestamp, webhook-signature).',
  })
  @ApiCreatedResponse({ description: 'Subscribed. The secret is shown only in this answer.', type: WebhookSubscriptionCreatedDto })
  @ApiBadRequestResponse({ description: 'Invalid url or events (VALIDATION_FAILED).', type: ProblemDto })
  @ApiUnprocessableEntityResponse({ description: 'IDEMPOTENCY_KEY_REUSED.', type: ProblemDto })
  async subscribe(@Body() body: CreateWebhookSubscriptionDto, @AuthenticatedCaller() caller: Caller): Promise<WebhookSubscriptionCreatedDto> {
    const { subscription, secret } = await this.dataSource.transaction((manager) =>
      this.webhooks.subscribe(manager, tenantOf(caller), body),
    );
    return { id: subscription.id, url: subscription.url, events: subscription.events, secret };
  }
}
