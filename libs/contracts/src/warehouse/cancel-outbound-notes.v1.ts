import { IsArray, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { defineCommand } from '../registry/message-definition.js';

export class CancelOutboundNotes {
  @IsString()
  @IsNotEmpty()
  orderId: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  reason: string;

  /**
   * Only these notes. Absent: every open note of the order, and a create command that arrives
   * later creates nothing.
   */
  @IsOptional()
  @IsArray()
  @IsUUID('all', { each: true })
  noteIds?: string[];
}

export const CancelOutboundNotesV1 = defineCommand({
  type: 'warehouse.cancel-outbound-notes',
  version: 1,
  owner: 'warehouse',
  summary: "Cancel an order's open outbound notes (compensation); picked or packed goods go back to their locations. Idempotent.",
  payload: CancelOutboundNotes,
});
