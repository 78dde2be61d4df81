import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { ApiExcludeController } from '@nestjs/swagger';
import {
  WebhookSubscriptionCreatedV1,
  WebhookSubscriptionCreatedV2,
  WebhookSubscriptionDeletedV1,
  WebhookSubscriptionSecretRotatedV1,
  type WebhookSubscriptionCreated,
  type WebhookSubscriptionCreatedSealed,
  type WebhookSubscriptionDeleted,
  type WebhookSubscriptionSecretRotated,
} from '@skald/contracts';
import { OnMessage, type MessageContext } from '@skald/messaging';
import { WebhookSubscriptionsService } from './webhook-subscriptions.service.js';

// A message handler, not an HTTP route: kept out of the OpenAPI document.
@ApiExcludeController()
@Controller()
export class WebhookSubscriptionsHandler {
  constructor(private readonly subscriptions: WebhookSubscriptionsService) {}

  @OnMessage(WebhookSubscriptionCreatedV2)
  async onSubscriptionCreated(@Payload() created: WebhookSubscriptionCreatedSealed, @Ctx() ctx: MessageContext): Promise<void> {
    await this.subscriptions.record(ctx.manager, created);
  }

  /** From a gateway not yet upgraded: the secret in plain text. */
  @OnMessage(WebhookSubscriptionCreatedV1)
  async onSubscriptionCreatedPlain(@Payload() created: WebhookSubscriptionCreated, @Ctx() ctx: MessageContext): Promise<void> {
    await this.subscriptions.recordPlain(ctx.manager, created);
  }

  @OnMessage(WebhookSubscriptionSecretRotatedV1)
  async onSecretRotated(@Payload() rotated: WebhookSubscriptionSecretRotated, @Ctx() ctx: MessageContext): Promise<void> {
    await this.subscriptions.rotate(ctx.manager, rotated);
  }

  @OnMessage(WebhookSubscriptionDeletedV1)
  async onSubscriptionDeleted(@Payload() deleted: WebhookSubscriptionDeleted, @Ctx() ctx: MessageContext): Promise<void> {
    await this.subscriptions.remove(ctx.manager, deleted);
  }
}
