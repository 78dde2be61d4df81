import { Type } from 'class-transformer';
import { ArrayMinSize, IsArray, IsInt, IsNotEmpty, IsString, Min, ValidateNested } from 'class-validator';
import { defineEvent } from '../registry/message-definition.js';

export class ReservationValue {
  @IsString()
  @IsNotEmpty()
  reservationId: string;

  @IsString()
  @IsNotEmpty()
  warehouse: string;

  @IsString()
  @IsNotEmpty()
  sku: string;

  @IsInt()
  @Min(1)
  quantity: number;
}

export class StockReserved {
  @IsString()
  @IsNotEmpty()
  orderId: string;

  @IsArray()
  @ArrayMinSize(1)
  @ValidateNested({ each: true })
  @Type(() => ReservationValue)
  reservations: ReservationValue[];
}

export const StockReservedV1 = defineEvent({
  type: 'inventory.stock.reserved',
  version: 1,
  owner: 'inventory',
  summary: "An order's lines are reserved (per warehouse); no other order can take them.",
  payload: StockReserved,
});
