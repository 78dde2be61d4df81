import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { ApiExcludeController } from '@nestjs/swagger';
import { CreateOutboundNotesV1, OutboundNotesCreatedV1, type CreateOutboundNotes } from '@skald/contracts';
import { OnMessage, type MessageContext } from '@skald/messaging';
import { batchOf, OutboundNotesService } from './outbound-notes.service.js';

/** Executes the order saga's command to create an order's outbound notes. */
// A message handler, not an HTTP route: kept out of the OpenAPI document.
@ApiExcludeController()
@Controller()
export class CreateOutboundNotesHandler {
  constructor(private readonly notes: OutboundNotesService) {}

  /**
   * A re-sent command finds the notes it created before and announces them again; a command for
   * an order cancelled before it arrived creates nothing and announces no notes.
   */
  @OnMessage(CreateOutboundNotesV1)
  async onCreateOutboundNotes(@Payload() command: CreateOutboundNotes, @Ctx() context: MessageContext): Promise<void> {
    const notes = await this.notes.createForOrder(context.manager, command, context.envelope.tenantId);
    await context.publish(OutboundNotesCreatedV1, {
      orderId: command.orderId,
      externalId: command.externalId,
      notes: notes.map(({ note, lines }) => ({
        noteId: note.id,
        warehouse: note.warehouse,
        lines: lines.map((line) => ({ sku: line.sku, quantity: line.quantity })),
      })),
      batch: batchOf(command),
    });
  }
}
