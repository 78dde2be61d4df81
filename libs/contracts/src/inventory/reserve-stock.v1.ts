import { Type } from 'class-transformer';
import { ArrayMinSize, IsArray, IsIn, IsInt, IsISO8601, IsNotEmpty, IsOptional, IsString, Min, ValidateNested } from 'class-validator';
import { StockLineValue } from '../common/values.js';
import { defineCommand } from '../registry/message-definition.js';

/**
 * What inventory does when a line cannot be fully reserved: `reject` reserves nothing (all or
 * nothing); `backorder` reserves what is available and keeps the rest waiting for stock receipts
 * (first come, first served); `take_available` reserves what is available and forgets the rest.
 */
export const ON_SHORTAGE = ['reject', 'backorder', 'take_available'] as const;
export type OnShortage = (typeof ON_SHORTAGE)[number];

export class ReserveStock {
  @IsString()
  @IsNotEmpty()
  orderId: string;

  @IsArray()
  @ArrayMinSize(1)
  @ValidateNested({ each: true })
  @Type(() => StockLineValue)
  lines: StockLineValue[];

  /** Default `reject`. */
  @IsOptional()
  @IsIn(ON_SHORTAGE)
  onShortage?: OnShortage;

  /**
   * Which reservation attempt of the order this is (default 1). Each attempt is decided once; a
   * re-sent command of the same attempt gets the first decision again. A later attempt (the saga
   * re-reserving after an expiry) is decided anew.
   */
  @IsOptional()
  @IsInt()
  @Min(1)
  attempt?: number;

  /** Until when the reservations are held before they expire; default: inventory's configured hold. */
  @IsOptional()
  @IsISO8601()
  holdUntil?: string | null;
}

export const ReserveStockV1 = defineCommand({
  type: 'inventory.reserve-stock',
  version: 1,
  owner: 'inventory',
  summary: 'Reserve the lines of an order across warehouses by priority: all or nothing, or what is available (backordering the rest).',
  payload: ReserveStock,
});
