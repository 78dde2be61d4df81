import { Type } from 'class-transformer';
import {
  ArrayMinSize,
  IsArray,
  IsEmail,
  IsInt,
  IsNotEmpty,
  IsNumberString,
  IsOptional,
  IsString,
  Length,
  Matches,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

/** Money travels as a decimal string ("129.90") with its currency elsewhere: no float rounding. */
export const DECIMAL = /^-?\d{1,12}(\.\d{1,4})?$/;

export class CustomerValue {
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  id: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name: string;

  @IsEmail()
  email: string;

  @IsOptional()
  @IsString()
  @MaxLength(40)
  phone?: string | null;
}

export class AddressValue {
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  line1: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  line2?: string | null;

  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  city: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(20)
  postalCode: string;

  /** ISO 3166-1 alpha-2. */
  @IsString()
  @Length(2, 2)
  @Matches(/^[A-Z]{2}$/)
  country: string;

  @IsOptional()
  @IsString()
  @MaxLength(100)
  region?: string | null;
}

/** A quantity of one SKU. */
export class StockLineValue {
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  sku: string;

  @IsInt()
  @Min(1)
  quantity: number;
}

/** An order line: SKU, quantity and the unit price the customer was offered. */
export class OrderLineValue extends StockLineValue {
  @IsNumberString({ no_symbols: false })
  @Matches(DECIMAL, { message: 'unitPrice must be a decimal with up to 4 places' })
  unitPrice: string;
}

/** Lines of one warehouse. */
export class WarehouseLinesValue {
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  warehouse: string;

  @IsArray()
  @ArrayMinSize(1)
  @ValidateNested({ each: true })
  @Type(() => StockLineValue)
  lines: StockLineValue[];
}
