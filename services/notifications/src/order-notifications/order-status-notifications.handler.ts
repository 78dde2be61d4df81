import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { ApiExcludeController } from '@nestjs/swagger';
import { OrderStatusChangedV1, type OrderStatusChanged } from '@skald/contracts';
import { OnMessage, type MessageContext } from '@skald/messaging';
import { OrderStatusNotificationsService } from './order-status-notifications.service.js';

// A message handler, not an HTTP route: kept out of the OpenAPI document.
@ApiExcludeController()
@Controller()
export class OrderStatusNotificationsHandler {
  constructor(private readonly notifications: OrderStatusNotificationsService) {}

  @OnMessage(OrderStatusChangedV1)
  async onStatusChanged(@Payload() change: OrderStatusChanged, @Ctx() ctx: MessageContext): Promise<void> {
    await this.notifications.planStatusChange(ctx.manager, ctx.envelope, change);
  }
}
