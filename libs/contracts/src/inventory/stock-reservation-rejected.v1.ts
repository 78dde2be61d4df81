import { Type } from 'class-transformer';
import { IsArray, IsInt, IsNotEmpty, IsString, Min, ValidateNested } from 'class-validator';
import { defineEvent } from '../registry/message-definition.js';

export class ShortageValue {
  @IsString()
  @IsNotEmpty()
  sku: string;

  @IsInt()
  @Min(1)
  requested: number;

  @IsInt()
  @Min(0)
  available: number;
}

export class StockReservationRejected {
  @IsString()
  @IsNotEmpty()
  orderId: string;

  /** `STOCK_SHORT` or `SKU_UNKNOWN`. */
  @IsString()
  @IsNotEmpty()
  reason: string;

  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => ShortageValue)
  shortages: ShortageValue[];
}

export const StockReservationRejectedV1 = defineEvent({
  type: 'inventory.stock.reservation-rejected',
  version: 1,
  owner: 'inventory',
  summary: 'Stock could not be reserved for an order; nothing was reserved.',
  payload: StockReservationRejected,
});
