import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { ApiExcludeController } from '@nestjs/swagger';
import { RefundRequestedV1, type RefundRequested } from '@skald/contracts';
import { OnMessage, type MessageContext } from '@skald/messaging';
import { RefundNotificationsService } from './refund-notifications.service.js';

// A message handler, not an HTTP route: kept out of the OpenAPI document.
@ApiExcludeController()
@Controller()
export class RefundNotificationsHandler {
  constructor(private readonly notifications: RefundNotificationsService) {}

  @OnMessage(RefundRequestedV1)
  async onRefundRequested(@Payload() refund: RefundRequested, @Ctx() ctx: MessageContext): Promise<void> {
    await this.notifications.planRefundRequested(ctx.manager, ctx.envelope, refund);
  }
}
