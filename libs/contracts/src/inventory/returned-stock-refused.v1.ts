import { IsIn, IsNotEmpty, IsString, IsUUID, MaxLength } from 'class-validator';
import { defineEvent } from '../registry/message-definition.js';

/** Why inventory refused to book a return's goods: an SKU not in the catalog, an unknown warehouse. */
export const RETURNED_STOCK_REFUSALS = ['SKU_UNKNOWN', 'WAREHOUSE_UNKNOWN'] as const;
export type ReturnedStockRefusal = (typeof RETURNED_STOCK_REFUSALS)[number];

export class ReturnedStockRefused {
  @IsUUID()
  returnId: string;

  @IsIn(RETURNED_STOCK_REFUSALS)
  code: ReturnedStockRefusal;

  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  reason: string;
}

export const ReturnedStockRefusedV1 = defineEvent({
  type: 'inventory.returned-stock.refused',
  version: 1,
  owner: 'inventory',
  summary: "Inventory refused to book a return's goods (nothing booked); a re-sent command gets the same refusal.",
  payload: ReturnedStockRefused,
});
