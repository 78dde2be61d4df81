import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { ApiExcludeController } from '@nestjs/swagger';
import { OutboundNotesCancelledV1, OutboundNotesCreatedV1, type OutboundNotesCancelled, type OutboundNotesCreated } from '@skald/contracts';
import { OnMessage, type MessageContext } from '@skald/messaging';
import { WarehouseNotificationsService } from './warehouse-notifications.service.js';

// A message handler, not an HTTP route: kept out of the OpenAPI document.
@ApiExcludeController()
@Controller()
export class OutboundNotesHandler {
  constructor(private readonly notifications: WarehouseNotificationsService) {}

  @OnMessage(OutboundNotesCreatedV1)
  async onNotesCreated(@Payload() created: OutboundNotesCreated, @Ctx() ctx: MessageContext): Promise<void> {
    await this.notifications.planOutboundNotes(ctx.manager, ctx.envelope, created);
  }

  @OnMessage(OutboundNotesCancelledV1)
  async onNotesCancelled(@Payload() cancelled: OutboundNotesCancelled, @Ctx() ctx: MessageContext): Promise<void> {
    await this.notifications.planCancelledNotes(ctx.manager, ctx.envelope, cancelled);
  }
}
