import { Type } from 'class-transformer';
import { IsArray, IsISO8601, IsNotEmpty, IsString, IsUUID, ValidateNested } from 'class-validator';
import { GradedLineValue } from '../common/values.js';
import { defineEvent } from '../registry/message-definition.js';

export class ReturnedStockBooked {
  @IsUUID()
  returnId: string;

  @IsString()
  @IsNotEmpty()
  rmaNumber: string;

  @IsString()
  @IsNotEmpty()
  orderId: string;

  @IsString()
  @IsNotEmpty()
  warehouse: string;

  /** What was booked, one line per SKU and grade. */
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => GradedLineValue)
  lines: GradedLineValue[];

  @IsISO8601()
  bookedAt: string;
}

export const ReturnedStockBookedV1 = defineEvent({
  type: 'inventory.returned-stock.booked',
  version: 1,
  owner: 'inventory',
  summary: "A return's goods were booked into stock by grade (restocked, quarantined, written off); also the answer to a re-sent command.",
  payload: ReturnedStockBooked,
});
