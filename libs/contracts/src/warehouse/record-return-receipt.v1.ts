import { Type } from 'class-transformer';
import { ArrayMinSize, IsArray, IsUUID, ValidateNested } from 'class-validator';
import { StockLineValue } from '../common/values.js';
import { defineCommand } from '../registry/message-definition.js';

export class RecordReturnReceipt {
  @IsUUID()
  returnId: string;

  /** What arrived: at most what was expected per SKU, possibly less (lines of the same SKU are added up). */
  @IsArray()
  @ArrayMinSize(1)
  @ValidateNested({ each: true })
  @Type(() => StockLineValue)
  lines: StockLineValue[];
}

export const RecordReturnReceiptV1 = defineCommand({
  type: 'warehouse.record-return-receipt',
  version: 1,
  owner: 'warehouse',
  summary:
    "A return's goods arrived. Answered with warehouse.return.received (also when re-sent), or warehouse.return.receipt-refused (RETURN_NOT_EXPECTED, RETURN_QUANTITY_EXCEEDED).",
  payload: RecordReturnReceipt,
});
