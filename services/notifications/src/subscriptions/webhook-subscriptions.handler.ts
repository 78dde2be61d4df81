import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { ApiExcludeController } from '@nestjs/swagger';
import { WebhookSubscriptionCreatedV1, type WebhookSubscriptionCreated } from '@skald/contracts';
import { OnMessage, type MessageContext } from '@skald/messaging';
import { WebhookSubscriptionsService } from './webhook-subscriptions.service.js';

// A message handler, not an HTTP route: kept out of the OpenAPI document.
@ApiExcludeController()
@Controller()
export class WebhookSubscriptionsHandler {
  constructor(private readonly subscriptions: WebhookSubscriptionsService) {}

  @OnMessage(WebhookSubscriptionCreatedV1)
  async onSubscriptionCreated(@Payload() created: WebhookSubscriptionCreated, @Ctx() ctx: MessageContext): Promise<void> {
    await this.subscriptions.record(ctx.manager, created);
  }
}
