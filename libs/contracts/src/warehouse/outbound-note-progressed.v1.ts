import { IsIn, IsISO8601, IsNotEmpty, IsString } from 'class-validator';
import { defineEvent } from '../registry/message-definition.js';

export const OUTBOUND_NOTE_STEPS = ['confirmed', 'picking', 'packed'] as const;

export class OutboundNoteProgressed {
  @IsString()
  @IsNotEmpty()
  noteId: string;

  @IsString()
  @IsNotEmpty()
  orderId: string;

  @IsString()
  @IsNotEmpty()
  warehouse: string;

  @IsIn(OUTBOUND_NOTE_STEPS)
  status: (typeof OUTBOUND_NOTE_STEPS)[number];

  @IsISO8601()
  at: string;
}

export const OutboundNoteProgressedV1 = defineEvent({
  type: 'warehouse.outbound-note.progressed',
  version: 1,
  owner: 'warehouse',
  summary: 'An outbound note was confirmed, started picking, or was packed.',
  payload: OutboundNoteProgressed,
});
