import { Type } from 'class-transformer';
import { IsArray, IsISO8601, ValidateNested } from 'class-validator';
import { StockLineValue } from '../common/values.js';
import { defineEvent } from '../registry/message-definition.js';
import { ReturnRefValue } from './expect-return.v1.js';

export class ReturnReceived extends ReturnRefValue {
  /** What arrived, one line per SKU (SKUs that did not come back are absent). */
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => StockLineValue)
  lines: StockLineValue[];

  @IsISO8601()
  receivedAt: string;
}

export const ReturnReceivedV1 = defineEvent({
  type: 'warehouse.return.received',
  version: 1,
  owner: 'warehouse',
  summary: "A return's goods arrived at the warehouse (status received); also the answer to a re-sent record-return-receipt.",
  payload: ReturnReceived,
});
