import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { ApiExcludeController } from '@nestjs/swagger';
import { OutboundNoteShipped, OutboundNoteShippedV1 } from '@skald/contracts';
import { OnMessage, type MessageContext } from '@skald/messaging';
import { ShipmentsService } from './shipments.service.js';

// Message handlers only: nothing for the HTTP API document.
@ApiExcludeController()
@Controller()
export class ShipmentsHandler {
  constructor(private readonly shipments: ShipmentsService) {}

  @OnMessage(OutboundNoteShippedV1)
  async onOutboundNoteShipped(@Payload() note: OutboundNoteShipped, @Ctx() ctx: MessageContext): Promise<void> {
    await this.shipments.applyShipped(ctx.manager, {
      noteId: note.noteId,
      orderId: note.orderId,
      warehouse: note.warehouse,
      shipmentId: note.shipmentId,
      shippedAt: new Date(note.shippedAt),
      lines: note.lines,
    });
  }
}
