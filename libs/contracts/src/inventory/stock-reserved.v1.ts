import { Type } from 'class-transformer';
import { IsArray, IsInt, IsNotEmpty, IsOptional, IsString, Min, ValidateNested } from 'class-validator';
import { StockLineValue } from '../common/values.js';
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

  /** What was reserved now (empty when nothing was available and the whole order waits). */
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => ReservationValue)
  reservations: ReservationValue[];

  /** What waits for stock receipts (`backorder`); empty or absent when fully reserved. */
  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => StockLineValue)
  backordered?: StockLineValue[];

  /** What could not be reserved and is not waiting (`take_available`). */
  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => StockLineValue)
  unavailable?: StockLineValue[];

  /** The reservation attempt this answers (default 1). */
  @IsOptional()
  @IsInt()
  @Min(1)
  attempt?: number;
}

export const StockReservedV1 = defineEvent({
  type: 'inventory.stock.reserved',
  version: 1,
  owner: 'inventory',
  summary: "An order's lines are reserved (per warehouse), or as much of them as was available; no other order can take them.",
  payload: StockReserved,
});
