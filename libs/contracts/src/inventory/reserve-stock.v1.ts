import { Type } from 'class-transformer';
import { ArrayMinSize, IsArray, IsNotEmpty, IsString, ValidateNested } from 'class-validator';
import { StockLineValue } from '../common/values.js';
import { defineCommand } from '../registry/message-definition.js';

export class ReserveStock {
  @IsString()
  @IsNotEmpty()
  orderId: string;

  @IsArray()
  @ArrayMinSize(1)
  @ValidateNested({ each: true })
  @Type(() => StockLineValue)
  lines: StockLineValue[];
}

export const ReserveStockV1 = defineCommand({
  type: 'inventory.reserve-stock',
  version: 1,
  owner: 'inventory',
  summary: 'Reserve the lines of an order, across warehouses by priority; all or nothing.',
  payload: ReserveStock,
});
