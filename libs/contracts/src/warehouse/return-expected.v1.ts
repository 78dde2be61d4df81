import { Type } from 'class-transformer';
import { IsArray, IsISO8601, ValidateNested } from 'class-validator';
import { StockLineValue } from '../common/values.js';
import { defineEvent } from '../registry/message-definition.js';
import { ReturnRefValue } from './expect-return.v1.js';

export class ReturnExpected extends ReturnRefValue {
  /** The expected lines, one per SKU. */
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => StockLineValue)
  lines: StockLineValue[];

  @IsISO8601()
  expectedAt: string;
}

export const ReturnExpectedV1 = defineEvent({
  type: 'warehouse.return.expected',
  version: 1,
  owner: 'warehouse',
  summary: "The warehouse expects a return's goods (an inbound receipt in status expected); also the answer to a re-sent expect-return.",
  payload: ReturnExpected,
});
