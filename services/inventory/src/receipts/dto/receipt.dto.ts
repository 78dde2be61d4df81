import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { outOfRange } from '@skald/service-kit';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { IDENTIFIER_PATTERN_SOURCE, IsIdentifier } from '../../common/identifiers.js';
import type { RecordedReceipt } from '../receipts.service.js';

/** Far above any real delivery line; keeps on-hand sums well inside a 32-bit integer. */
const MAX_LINE_QUANTITY = 1_000_000;

export class ReceiptLineDto {
  @ApiProperty({ pattern: IDENTIFIER_PATTERN_SOURCE, example: 'TEA-OOLONG-250' })
  @IsIdentifier()
  sku: string;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: MAX_LINE_QUANTITY, example: 24 })
  @IsInt()
  @Min(1)
  @Max(MAX_LINE_QUANTITY, outOfRange())
  quantity: number;
}

export class CreateReceiptDto {
  @ApiProperty({ pattern: IDENTIFIER_PATTERN_SOURCE, description: 'Created with priority 100 if new', example: 'WH-NORTH' })
  @IsIdentifier()
  warehouse: string;

  @ApiProperty({ type: [ReceiptLineDto], minItems: 1, maxItems: 200 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => ReceiptLineDto)
  lines: ReceiptLineDto[];

  @ApiPropertyOptional({ maxLength: 200, description: "The sender's document", example: 'PO-2026-0042' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  reference?: string;
}

export class ReceiptLineResultDto {
  @ApiProperty({ example: 'TEA-OOLONG-250' })
  sku: string;

  @ApiProperty({ type: 'integer', example: 24 })
  quantity: number;
}

export class ReceiptDto {
  @ApiProperty({ format: 'uuid', description: "The receipt's id" })
  id: string;

  @ApiProperty({ example: 'WH-NORTH' })
  warehouse: string;

  @ApiProperty({ type: [ReceiptLineResultDto] })
  lines: ReceiptLineResultDto[];

  @ApiProperty({ format: 'date-time' })
  receivedAt: string;

  static from(receipt: RecordedReceipt): ReceiptDto {
    return {
      id: receipt.receiptId,
      warehouse: receipt.warehouse,
      lines: receipt.lines,
      receivedAt: receipt.receivedAt.toISOString(),
    };
  }
}
