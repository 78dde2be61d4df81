import { Type } from 'class-transformer';
import { IsArray, IsISO8601, ValidateNested } from 'class-validator';
import { defineEvent } from '../registry/message-definition.js';
import { ReturnRefValue } from './expect-return.v1.js';
import { InspectedLineValue } from './record-return-inspection.v1.js';

export class ReturnInspected extends ReturnRefValue {
  /** The graded lines as inspected. */
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => InspectedLineValue)
  lines: InspectedLineValue[];

  @IsISO8601()
  inspectedAt: string;
}

export const ReturnInspectedV1 = defineEvent({
  type: 'warehouse.return.inspected',
  version: 1,
  owner: 'warehouse',
  summary: "A return's goods were inspected and graded (status inspected); also the answer to a re-sent record-return-inspection.",
  payload: ReturnInspected,
});
