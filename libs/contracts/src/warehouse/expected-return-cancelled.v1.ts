import { IsISO8601, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { defineEvent } from '../registry/message-definition.js';

export class ExpectedReturnCancelled {
  @IsUUID()
  returnId: string;

  /** Null when the return was cancelled before the warehouse heard of it (expect-return not arrived yet). */
  @IsOptional()
  @IsString()
  @MaxLength(40)
  rmaNumber: string | null;

  @IsOptional()
  @IsString()
  @MaxLength(100)
  orderId: string | null;

  @IsOptional()
  @IsString()
  @MaxLength(64)
  warehouse: string | null;

  /** The reason of the first cancellation. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  reason: string;

  @IsISO8601()
  cancelledAt: string;
}

export const ExpectedReturnCancelledV1 = defineEvent({
  type: 'warehouse.expected-return.cancelled',
  version: 1,
  owner: 'warehouse',
  summary: "The warehouse no longer expects a return's goods (status cancelled); also the answer to a re-sent cancel or a late expect-return.",
  payload: ExpectedReturnCancelled,
});
