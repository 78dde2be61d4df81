import { Type } from 'class-transformer';
import { IsArray, IsInt, IsNotEmpty, IsOptional, IsString, Min, ValidateNested } from 'class-validator';
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

  /**
   * The notes of the command's batch. Empty when the order was cancelled before the command
   * arrived (nothing is created for a cancelled order).
   */
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => OutboundNoteValue)
  notes: OutboundNoteValue[];

  @IsOptional()
  @IsInt()
  @Min(1)
  batch?: number;
}

export const OutboundNotesCreatedV1 = defineEvent({
  type: 'warehouse.outbound-notes.created',
  version: 1,
  owner: 'warehouse',
  summary: 'The outbound notes of an order exist and wait for the warehouse.',
  payload: OutboundNotesCreated,
});
