import { Type } from 'class-transformer';
import { ArrayMinSize, IsArray, IsNotEmpty, IsString, ValidateNested } from 'class-validator';
import { WarehouseLinesValue } from '../common/values.js';
import { defineEvent } from '../registry/message-definition.js';

export class OutboundNoteValue extends WarehouseLinesValue {
  @IsString()
  @IsNotEmpty()
  noteId: string;
}

export class OutboundNotesCreated {
  @IsString()
  @IsNotEmpty()
  orderId: string;

  @IsString()
  @IsNotEmpty()
  externalId: string;

  @IsArray()
  @ArrayMinSize(1)
  @ValidateNested({ each: true })
  @Type(() => OutboundNoteValue)
  notes: OutboundNoteValue[];
}

export const OutboundNotesCreatedV1 = defineEvent({
  type: 'warehouse.outbound-notes.created',
  version: 1,
  owner: 'warehouse',
  summary: 'The outbound notes of an order exist and wait for the warehouse.',
  payload: OutboundNotesCreated,
});
