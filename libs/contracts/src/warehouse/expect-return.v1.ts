import { Type } from 'class-transformer';
import { ArrayMinSize, IsArray, IsNotEmpty, IsString, IsUUID, MaxLength, ValidateNested } from 'class-validator';
import { StockLineValue } from '../common/values.js';
import { defineCommand } from '../registry/message-definition.js';

/** What a return (RMA) is, wherever the warehouse speaks of it. */
export class ReturnRefValue {
  /** The return's id (the return saga's). */
  @IsUUID()
  returnId: string;

  /** The number people read over the phone (`RMA-2026-000123`). */
  @IsString()
  @IsNotEmpty()
  @MaxLength(40)
  rmaNumber: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  orderId: string;

  /** The warehouse the goods come back to. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  warehouse: string;
}

export class ExpectReturn extends ReturnRefValue {
  /** What the customer sends back (lines of the same SKU are added up). */
  @IsArray()
  @ArrayMinSize(1)
  @ValidateNested({ each: true })
  @Type(() => StockLineValue)
  lines: StockLineValue[];
}

export const ExpectReturnV1 = defineCommand({
  type: 'warehouse.expect-return',
  version: 1,
  owner: 'warehouse',
  summary:
    'An approved return is on its way: the warehouse opens an inbound receipt for it (status expected). Idempotent per returnId: a re-sent command is answered with the receipt as it was opened.',
  payload: ExpectReturn,
});
