import { Type } from 'class-transformer';
import { ArrayMinSize, IsArray, IsOptional, IsString, IsUUID, MaxLength, ValidateNested } from 'class-validator';
import { GradedLineValue } from '../common/values.js';
import { defineCommand } from '../registry/message-definition.js';

/** A quantity of one SKU with the grade the inspector gave it, and a note. */
export class InspectedLineValue extends GradedLineValue {
  @IsOptional()
  @IsString()
  @MaxLength(500)
  note?: string | null;
}

export class RecordReturnInspection {
  @IsUUID()
  returnId: string;

  /** Per SKU, the graded quantities add up to what was received (an SKU may be split over grades). */
  @IsArray()
  @ArrayMinSize(1)
  @ValidateNested({ each: true })
  @Type(() => InspectedLineValue)
  lines: InspectedLineValue[];
}

export const RecordReturnInspectionV1 = defineCommand({
  type: 'warehouse.record-return-inspection',
  version: 1,
  owner: 'warehouse',
  summary:
    "A received return was inspected: grades A (sellable), B (damaged), C (scrap). Answered with warehouse.return.inspected (also when re-sent), or warehouse.return.receipt-refused (RETURN_NOT_EXPECTED, RETURN_NOT_RECEIVED, RETURN_INSPECTION_MISMATCH).",
  payload: RecordReturnInspection,
});
