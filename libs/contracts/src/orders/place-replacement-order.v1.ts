import { Type } from 'class-transformer';
import { ArrayMinSize, IsArray, IsNotEmpty, IsString, IsUUID, MaxLength, ValidateNested } from 'class-validator';
import { StockLineValue } from '../common/values.js';
import { defineCommand } from '../registry/message-definition.js';

/** An exchange: the replacement of a return's goods, as a new order of the same platform and customer. */
export class PlaceReplacementOrder {
  @IsUUID()
  returnId: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(40)
  rmaNumber: string;

  /** The order the goods were returned from: customer, address, prices and shortage policy come from it. */
  @IsUUID()
  orderId: string;

  @IsArray()
  @ArrayMinSize(1)
  @ValidateNested({ each: true })
  @Type(() => StockLineValue)
  lines: StockLineValue[];
}

export const PlaceReplacementOrderV1 = defineCommand({
  type: 'orders.place-replacement-order',
  version: 1,
  owner: 'orders',
  summary:
    "An exchange: orders places a replacement order for the return's SKUs (same customer, address and prices, nothing to pay, review skipped; its shortage policy applies). Idempotent per returnId.",
  payload: PlaceReplacementOrder,
});
