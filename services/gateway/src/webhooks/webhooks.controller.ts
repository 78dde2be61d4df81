import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Caller } from '@skald/service-kit';
import { ProblemDto } from '@skald/service-kit';
import { DataSource } from 'typeorm';
import { AuthenticatedCaller, Authorize, tenantOf } from '../api-keys/authorize.decorator.js';
import { Idempotent } from '../idempotency/idempotent.decorator.js';
import {
  CreateWebhookSubscriptionDto,
  WebhookIdParams,
  WebhookSecretRotatedDto,
  WebhookSubscriptionCreatedDto,
  WebhookSubscriptionListDto,
} from './dto/webhook-subscription.dto.js';
import { WebhookSubscriptionService } from './webhook-subscription.service.js';

/** Platforms subscribe URLs to their orders' and returns' events; notifications delivers them, signed. */
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
  @Idempotent({ omitFromReplay: ['secret'] })
  @ApiOperation({
    summary: 'Subscribe a URL to order and return events',
    description:
      'Every delivery is a JSON body `{type, timestamp, data}`: `order.<status>` and `order.refund_requested` about orders, ' +
      '`return.<status>` (data: returnId, rmaNumber, orderId, externalId, status, previousStatus, reason, refund) and ' +
      '`return.refund_requested` (data: refundId, returnId, rmaNumber, orderId, externalId, amount, currency, lines) about returns; ' +
      'amounts are decimal strings. Deduplicate refunds on `refundId`. ' +
      'Deliveries are signed with the returned secret (Standard Webhooks: webhook-id, webhook-timestamp, webhook-signature). ' +
      'The URL must reach the public internet. A request replayed with the same Idempotency-Key answers the subscription without its secret.',
  })
  @ApiCreatedResponse({ description: 'Subscribed. The secret is shown only in this answer.', type: WebhookSubscriptionCreatedDto })
  @ApiBadRequestResponse({ description: 'Invalid url or events (VALIDATION_FAILED).', type: ProblemDto })
  @ApiConflictResponse({ description: 'The platform holds the maximum number of subscriptions (WEBHOOK_LIMIT_REACHED).', type: ProblemDto })
  @ApiUnprocessableEntityResponse({
    description: 'The URL names a loopback, private or otherwise non-public host, or carries credentials (WEBHOOK_URL_FORBIDDEN); IDEMPOTENCY_KEY_REUSED.',
    type: ProblemDto,
  })
  async subscribe(@Body() body: CreateWebhookSubscriptionDto, @AuthenticatedCaller() caller: Caller): Promise<WebhookSubscriptionCreatedDto> {
    await this.webhooks.checkTarget(body.url);
    const { subscription, secret } = await this.dataSource.transaction((manager) => this.webhooks.subscribe(manager, tenantOf(caller), body));
    return { id: subscription.id, url: subscription.url, events: subscription.events, secret };
  }

  @Get()
  @Authorize({ platforms: true })
  @ApiOperation({ summary: "List the platform's webhook subscriptions", description: 'Secrets are never listed: they are shown once, when made.' })
  @ApiOkResponse({ type: WebhookSubscriptionListDto })
  async list(@AuthenticatedCaller() caller: Caller): Promise<WebhookSubscriptionListDto> {
    const subscriptions = await this.webhooks.list(this.dataSource.manager, tenantOf(caller));
    return { items: subscriptions.map(({ id, url, events, createdAt }) => ({ id, url, events, createdAt: createdAt.toISOString() })) };
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @Authorize({ platforms: true })
  @Idempotent()
  @ApiOperation({ summary: 'End a webhook subscription', description: 'Nothing more is delivered to it, including deliveries still being retried.' })
  @ApiNoContentResponse({ description: 'Ended.' })
  @ApiBadRequestResponse({ description: 'The id is not a UUID (VALIDATION_FAILED).', type: ProblemDto })
  @ApiNotFoundResponse({ description: 'The platform has no such subscription (WEBHOOK_SUBSCRIPTION_NOT_FOUND).', type: ProblemDto })
  async unsubscribe(@Param() { id }: WebhookIdParams, @AuthenticatedCaller() caller: Caller): Promise<void> {
    await this.dataSource.transaction((manager) => this.webhooks.unsubscribe(manager, tenantOf(caller), id));
  }

  @Post(':id/rotate-secret')
  @HttpCode(HttpStatus.OK)
  @Authorize({ platforms: true })
  // A retried request (same Idempotency-Key) must not rotate twice, which would end the secret the
  // platform still uses at once; its replay answers without the secret, as for a new subscription.
  @Idempotent({ omitFromReplay: ['secret'] })
  @ApiOperation({
    summary: "Rotate a subscription's signing secret",
    description:
      'Answers a new secret, shown once. For 24 hours every delivery is signed with both the new and the previous secret ' +
      '(two `v1,` signatures in webhook-signature), then with the new one only. Rotating again within those 24 hours ends the older secret at once. ' +
      'A request replayed with the same Idempotency-Key does not rotate again and answers without the secret.',
  })
  @ApiOkResponse({ type: WebhookSecretRotatedDto })
  @ApiBadRequestResponse({ description: 'The id is not a UUID (VALIDATION_FAILED).', type: ProblemDto })
  @ApiNotFoundResponse({ description: 'The platform has no such subscription (WEBHOOK_SUBSCRIPTION_NOT_FOUND).', type: ProblemDto })
  async rotateSecret(@Param() { id }: WebhookIdParams, @AuthenticatedCaller() caller: Caller): Promise<WebhookSecretRotatedDto> {
    const rotated = await this.dataSource.transaction((manager) => this.webhooks.rotateSecret(manager, tenantOf(caller), id));
    return { id: rotated.subscription.id, secret: rotated.secret, previousSecretExpiresAt: rotated.previousSecretExpiresAt.toISOString() };
  }
}
