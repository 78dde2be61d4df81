import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { ApiExcludeController } from '@nestjs/swagger';
import { ReturnStatusChangedV1, type ReturnStatusChanged } from '@skald/contracts';
import { OnMessage, type MessageContext } from '@skald/messaging';
import { ReturnStatusNotificationsService } from './return-status-notifications.service.js';

// A message handler, not an HTTP route: kept out of the OpenAPI document.
@ApiExcludeController()
@Controller()
export class ReturnStatusNotificationsHandler {
  constructor(private readonly notifications: ReturnStatusNotificationsService) {}

  @OnMessage(ReturnStatusChangedV1)
  async onStatusChanged(@Payload() change: ReturnStatusChanged, @Ctx() ctx: MessageContext): Promise<void> {
    await this.notifications.planStatusChange(ctx.manager, ctx.envelope, change);
  }
}
