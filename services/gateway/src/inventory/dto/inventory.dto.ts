import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { outOfRange } from '@skald/service-kit';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsInt,
  IsISO4217CurrencyCode,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { AmountWithin, CODE_PATTERN, CODE_PATTERN_MESSAGE, CURSOR_PATTERN, IsAmount, MAX_AMOUNT } from '../../http/validation.js';

export class SkuParams {
  @ApiProperty({ pattern: CODE_PATTERN.source, example: 'TEA-EARLGREY-250' })
  @Matches(CODE_PATTERN, { message: `sku ${CODE_PATTERN_MESSAGE}` })
  sku: string;
}

export class SkuWarehouseParams {
  @ApiProperty({ pattern: CODE_PATTERN.source, example: 'TEA-EARLGREY-250' })
  @Matches(CODE_PATTERN, { message: `sku ${CODE_PATTERN_MESSAGE}` })
  sku: string;

  @ApiProperty({ pattern: CODE_PATTERN.source, example: 'LON-1' })
  @Matches(CODE_PATTERN, { message: `warehouse ${CODE_PATTERN_MESSAGE}` })
  warehouse: string;
}

/** Below how many available units (on hand - reserved) a low-stock alert is raised. */
export class LowStockThresholdDto {
  @ApiProperty({ type: 'integer', minimum: 0, maximum: 1_000_000, description: 'Alert when available stock falls below this; 0 never alerts.', example: 20 })
  @IsInt()
  @Min(0)
  @Max(1_000_000, outOfRange())
  threshold: number;
}

export class LedgerQuery {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 200, description: 'Page size.' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ description: 'The `nextCursor` of the previous page.', pattern: CURSOR_PATTERN.source })
  @IsOptional()
  @Matches(CURSOR_PATTERN, { message: 'cursor must be a nextCursor the API returned' })
  cursor?: string;
}

export class WarehouseCodeParams {
  @ApiProperty({ pattern: CODE_PATTERN.source, example: 'LON-1' })
  @Matches(CODE_PATTERN, { message: `code ${CODE_PATTERN_MESSAGE}` })
  code: string;
}

/** A catalog item: created or replaced as a whole. */
export class CatalogItemDto {
  @ApiProperty({ minLength: 1, maxLength: 200, example: 'Earl Grey, 250 g' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name: string;

  @ApiProperty({
    description: 'List price: a number or a decimal string, at most 4 decimals.',
    oneOf: [
      { type: 'number', minimum: 0, maximum: MAX_AMOUNT },
      { type: 'string', pattern: '^\\d{1,10}(\\.\\d{1,4})?$' },
    ],
    example: '12.50',
  })
  @IsAmount({ allowString: true })
  @AmountWithin(MAX_AMOUNT)
  listPrice: number | string;

  @ApiProperty({ description: 'ISO 4217 currency code.', pattern: '^[A-Z]{3}$', example: 'EUR' })
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be 3 upper-case letters' })
  @IsISO4217CurrencyCode()
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be upper case, like EUR' })
  currency: string;

  @ApiProperty({ description: 'Whether orders may contain it.' })
  @IsBoolean()
  sellable: boolean;

  @ApiProperty({ description: 'Whether customers may return it.' })
  @IsBoolean()
  returnable: boolean;
}

/** A warehouse and its priority for reservations (lower first). */
export class WarehouseDto {
  @ApiProperty({ type: 'integer', minimum: 0, maximum: 1_000_000, description: 'Reservations take stock from lower priorities first.', example: 1 })
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  priority: number;

  @ApiPropertyOptional({ minLength: 1, maxLength: 200, example: 'London 1' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name?: string;
}

export class StockReceiptLineDto {
  @ApiProperty({ pattern: CODE_PATTERN.source, example: 'TEA-EARLGREY-250' })
  @IsString()
  @Matches(CODE_PATTERN, { message: `sku ${CODE_PATTERN_MESSAGE}` })
  sku: string;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: 1_000_000, example: 100 })
  @IsInt()
  @Min(1)
  @Max(1_000_000, outOfRange())
  quantity: number;
}

/** Goods received into a warehouse. */
export class StockReceiptDto {
  @ApiProperty({ pattern: CODE_PATTERN.source, example: 'LON-1' })
  @IsString()
  @Matches(CODE_PATTERN, { message: `warehouse ${CODE_PATTERN_MESSAGE}` })
  warehouse: string;

  @ApiProperty({ type: [StockReceiptLineDto], minItems: 1, maxItems: 200 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => StockReceiptLineDto)
  lines: StockReceiptLineDto[];

  @ApiPropertyOptional({ description: "The supplier's delivery note or purchase order.", maxLength: 200, example: 'PO-2026-0042' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  reference?: string;
}
