import { Type } from 'class-transformer';
import { ArrayMinSize, IsArray, IsInt, IsNotEmpty, IsOptional, IsString, Min, ValidateNested } from 'class-validator';
import { StockLineValue } from '../common/values.js';
import { defineEvent } from '../registry/message-definition.js';
import { ReservationValue } from './stock-reserved.v1.js';

export class BackorderAllocated {
  @IsString()
  @IsNotEmpty()
  orderId: string;

  /** The reservations made now from received stock. */
  @IsArray()
  @ArrayMinSize(1)
  @ValidateNested({ each: true })
  @Type(() => ReservationValue)
  reservations: ReservationValue[];

  /** What still waits; empty when the order's backorder is complete. */
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => StockLineValue)
  backordered: StockLineValue[];

  @IsOptional()
  @IsInt()
  @Min(1)
  attempt?: number;
}

export const BackorderAllocatedV1 = defineEvent({
  type: 'inventory.backorder.allocated',
  version: 1,
  owner: 'inventory',
  summary: 'Received stock was reserved for a waiting (backordered) order, first come, first served.',
  payload: BackorderAllocated,
});
