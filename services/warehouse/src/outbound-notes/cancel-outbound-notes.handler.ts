import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { ApiExcludeController } from '@nestjs/swagger';
import { CancelOutboundNotesV1, OutboundNotesCancelledV1, type CancelOutboundNotes } from '@skald/contracts';
import { OnMessage, type MessageContext } from '@skald/messaging';
import { OutboundNotesService } from './outbound-notes.service.js';

/** Executes the order saga's compensation that cancels an order's outbound notes. */
// A message handler, not an HTTP route: kept out of the OpenAPI document.
@ApiExcludeController()
@Controller()
export class CancelOutboundNotesHandler {
  constructor(private readonly notes: OutboundNotesService) {}

  /** Cancels, and answers in the same transaction: the notes cancelled (now or before) and those that had shipped. */
  @OnMessage(CancelOutboundNotesV1)
  async onCancelOutboundNotes(@Payload() command: CancelOutboundNotes, @Ctx() context: MessageContext): Promise<void> {
    const result = await this.notes.cancelForOrder(context.manager, command, context.envelope.tenantId);
    await context.publish(OutboundNotesCancelledV1, result);
  }
}
