import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { ApiExcludeController } from '@nestjs/swagger';
import { ReturnRefundRequestedV1, type ReturnRefundRequested } from '@skald/contracts';
import { OnMessage, type MessageContext } from '@skald/messaging';
import { ReturnRefundNotificationsService } from './return-refund-notifications.service.js';

// A message handler, not an HTTP route: kept out of the OpenAPI document.
@ApiExcludeController()
@Controller()
export class ReturnRefundNotificationsHandler {
  constructor(private readonly notifications: ReturnRefundNotificationsService) {}

  @OnMessage(ReturnRefundRequestedV1)
  async onRefundRequested(@Payload() refund: ReturnRefundRequested, @Ctx() ctx: MessageContext): Promise<void> {
    await this.notifications.planRefundRequested(ctx.manager, ctx.envelope, refund);
  }
}
