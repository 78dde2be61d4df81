import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { ApiExcludeController } from '@nestjs/swagger';
import { LowStockAlertV1, type LowStockAlert } from '@skald/contracts';
import { OnMessage, type MessageContext } from '@skald/messaging';
import { PurchasingNotificationsService } from './purchasing-notifications.service.js';

// A message handler, not an HTTP route: kept out of the OpenAPI document.
@ApiExcludeController()
@Controller()
export class LowStockHandler {
  constructor(private readonly notifications: PurchasingNotificationsService) {}

  @OnMessage(LowStockAlertV1)
  async onLowStock(@Payload() alert: LowStockAlert, @Ctx() ctx: MessageContext): Promise<void> {
    await this.notifications.planLowStock(ctx.manager, ctx.envelope, alert);
  }
}
