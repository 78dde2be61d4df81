import { Type } from 'class-transformer';
import { IsArray, IsBoolean, IsIn, IsNotEmpty, IsString, ValidateNested } from 'class-validator';
import { StockLineValue } from '../common/values.js';
import { defineEvent } from '../registry/message-definition.js';

export const CANCELLABLE_NOTE_STATUSES = ['created', 'confirmed', 'picking', 'packed'] as const;

export class CancelledNoteValue {
  @IsString()
  @IsNotEmpty()
  noteId: string;

  @IsString()
  @IsNotEmpty()
  warehouse: string;

  /** The status the note had when it was cancelled (`cancelled` for one cancelled before: a re-sent command). */
  @IsIn([...CANCELLABLE_NOTE_STATUSES, 'cancelled'])
  previousStatus: string;

  /** Picked or packed goods that go back to their locations. */
  @IsBoolean()
  restocked: boolean;

  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => StockLineValue)
  lines: StockLineValue[];
}

export class ShippedNoteRef {
  @IsString()
  @IsNotEmpty()
  noteId: string;

  @IsString()
  @IsNotEmpty()
  warehouse: string;
}

export class OutboundNotesCancelled {
  @IsString()
  @IsNotEmpty()
  orderId: string;

  @IsString()
  @IsNotEmpty()
  reason: string;

  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => CancelledNoteValue)
  cancelled: CancelledNoteValue[];

  /** Notes that had shipped already (the cancellation lost the race): not cancelled. */
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => ShippedNoteRef)
  shipped: ShippedNoteRef[];
}

export const OutboundNotesCancelledV1 = defineEvent({
  type: 'warehouse.outbound-notes.cancelled',
  version: 1,
  owner: 'warehouse',
  summary: "An order's open outbound notes were cancelled; notes that had shipped are listed apart.",
  payload: OutboundNotesCancelled,
});
