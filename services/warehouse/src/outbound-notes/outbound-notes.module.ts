import { Module } from '@nestjs/common';
import { ShipmentsModule } from '../shipments/shipments.module.js';
import { CancelOutboundNotesHandler } from './cancel-outbound-notes.handler.js';
import { CancelledOrder } from './cancelled-order.entity.js';
import { CreateOutboundNotesHandler } from './create-outbound-notes.handler.js';
import { OutboundNoteLine } from './outbound-note-line.entity.js';
import { OutboundNote } from './outbound-note.entity.js';
import { OutboundNotesController } from './outbound-notes.controller.js';
import { OutboundNotesRepository } from './outbound-notes.repository.js';
import { OutboundNotesService } from './outbound-notes.service.js';

export const outboundNoteEntities = [OutboundNote, OutboundNoteLine, CancelledOrder];

/** HTTP status of each error code this capability raises. */
export const outboundNoteErrorStatuses = {
  OUTBOUND_NOTE_NOT_FOUND: 404,
  NOTE_STATUS_CONFLICT: 409,
  INVALID_CURSOR: 400,
};

/** Outbound notes: created and cancelled by the order saga's commands, worked by warehouse operators. */
@Module({
  imports: [ShipmentsModule],
  controllers: [OutboundNotesController, CreateOutboundNotesHandler, CancelOutboundNotesHandler],
  providers: [OutboundNotesRepository, OutboundNotesService],
})
export class OutboundNotesModule {}
