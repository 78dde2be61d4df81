import { IsInt, IsNotEmpty, IsString, Min } from 'class-validator';
import { defineEvent } from '../registry/message-definition.js';

export class LowStockAlert {
  @IsString()
  @IsNotEmpty()
  sku: string;

  @IsString()
  @IsNotEmpty()
  warehouse: string;

  /** on hand − reserved, after the movement that crossed the threshold. */
  @IsInt()
  @Min(0)
  available: number;

  @IsInt()
  @Min(0)
  onHand: number;

  @IsInt()
  @Min(0)
  reserved: number;

  @IsInt()
  @Min(0)
  threshold: number;
}

export const LowStockAlertV1 = defineEvent({
  type: 'inventory.stock.low',
  version: 1,
  owner: 'inventory',
  summary: "An SKU's available stock in a warehouse fell below its low-stock threshold (replenishment alert).",
  payload: LowStockAlert,
});
