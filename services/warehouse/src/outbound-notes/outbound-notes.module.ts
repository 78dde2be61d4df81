import { Module } from '@nestjs/common';
import { ShipmentsModule } from '../shipments/shipments.module.js';
import { CreateOutboundNotesHandler } from './create-outbound-notes.handler.js';
import { OutboundNoteLine } from './outbound-note-line.entity.js';
import { OutboundNote } from './outbound-note.entity.js';
import { OutboundNotesController } from './outbound-notes.controller.js';
import { OutboundNotesRepository } from './outbound-notes.repository.js';
import { OutboundNotesService } from './outbound-notes.service.js';

export const outboundNoteEntities = [OutboundNote, OutboundNoteLine];

/** HTTP status of each error code this capability raises. */
export const outboundNoteErrorStatuses = {
  OUTBOUND_NOTE_NOT_FOUND: 404,
  NOTE_STATUS_CONFLICT: 409,
  INVALID_CURSOR: 400,
};

/** Outbound notes: created by the order saga's command, worked by warehouse operators. */
@Module({
  imports: [ShipmentsModule],
  controllers: [OutboundNotesController, CreateOutboundNotesHandler],
  providers: [OutboundNotesRepository, OutboundNotesService],
})
export class OutboundNotesModule {}
