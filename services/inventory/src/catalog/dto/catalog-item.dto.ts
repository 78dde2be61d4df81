import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsISO4217CurrencyCode, IsNotEmpty, IsString, Matches, MaxLength } from 'class-validator';
import type { CatalogItem } from '../catalog-item.entity.js';

/** A non-negative decimal that fits numeric(14,4): up to 10 integer digits and 4 decimals. */
const LIST_PRICE = /^\d{1,10}(\.\d{1,4})?$/;

// A JSON number is accepted and checked as it was written; 0.1 + 0.2 or 1e21 are refused rather
// than silently rounded.
const numberToDecimalString = ({ value }: { value: unknown }) =>
  typeof value === 'number' && Number.isFinite(value) ? String(value) : value;

export class UpsertCatalogItemDto {
  @ApiProperty({ maxLength: 200, example: 'Oolong tea, 250 g' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name: string;

  @ApiProperty({
    oneOf: [
      { type: 'string', pattern: LIST_PRICE.source },
      { type: 'number', minimum: 0 },
    ],
    description: 'Non-negative, at most 4 decimals; a decimal string or a JSON number',
    example: '12.90',
  })
  @Transform(numberToDecimalString)
  @Matches(LIST_PRICE, { message: 'listPrice must be a non-negative decimal with at most 10 integer digits and 4 decimals' })
  listPrice: string;

  @ApiProperty({ description: 'ISO 4217 code', pattern: '^[A-Z]{3}$', example: 'EUR' })
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be 3 upper-case letters' })
  @IsISO4217CurrencyCode()
  currency: string;

  @ApiProperty()
  @IsBoolean()
  sellable: boolean;

  @ApiProperty()
  @IsBoolean()
  returnable: boolean;
}

export class CatalogItemDto {
  @ApiProperty({ example: 'TEA-OOLONG-250' })
  sku: string;

  @ApiProperty({ example: 'Oolong tea, 250 g' })
  name: string;

  @ApiProperty({ description: 'Decimal string with 4 decimals', example: '12.9000' })
  listPrice: string;

  @ApiProperty({ example: 'EUR' })
  currency: string;

  @ApiProperty()
  sellable: boolean;

  @ApiProperty()
  returnable: boolean;

  @ApiProperty({ format: 'date-time' })
  updatedAt: string;

  static from(item: CatalogItem): CatalogItemDto {
    return {
      sku: item.sku,
      name: item.name,
      listPrice: item.listPrice,
      currency: item.currency,
      sellable: item.sellable,
      returnable: item.returnable,
      updatedAt: item.updatedAt.toISOString(),
    };
  }
}
