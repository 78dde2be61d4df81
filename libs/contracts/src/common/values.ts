import { Type } from 'class-transformer';
import {
  ArrayMinSize,
  IsArray,
  IsEmail,
  IsIn,
  IsInt,
  IsISO8601,
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

/** A phone number as customers and recipients give it: digits, spaces, ( ) -, an optional leading +. */
export const PHONE_PATTERN = /^\+?[0-9 ()-]{5,30}$/;
export const PHONE_PATTERN_MESSAGE = 'must be a phone number (5 to 30 digits, spaces, ( ) -, an optional leading +)';

/** Who receives a shipment: a person's name, and optionally a company. */
export const RECIPIENT_NAME_MAX_LENGTH = 200;
export const RECIPIENT_COMPANY_MAX_LENGTH = 200;

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

/**
 * Where an order ships, and to whom: the address with its recipient (`name`, `phone`, `company`).
 * The orders service fills `name` and `phone` from the customer when the platform gives none;
 * messages from before the recipient existed carry none.
 */
export class ShippingAddressValue extends AddressValue {
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(RECIPIENT_NAME_MAX_LENGTH)
  name?: string | null;

  @IsOptional()
  @IsString()
  @Matches(PHONE_PATTERN, { message: `phone ${PHONE_PATTERN_MESSAGE}` })
  phone?: string | null;

  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(RECIPIENT_COMPANY_MAX_LENGTH)
  company?: string | null;
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

/** What happens to an order when stock is short. */
export const SHORTAGE_MODES = ['reject', 'backorder', 'partial'] as const;
export type ShortageMode = (typeof SHORTAGE_MODES)[number];
export const PARTIAL_REMAINDERS = ['backorder', 'cancel'] as const;
export type PartialRemainder = (typeof PARTIAL_REMAINDERS)[number];

/**
 * An order's stock shortage policy: `reject` cancels it (nothing reserved); `backorder` reserves
 * what is there and waits for the rest until `backorderDeadline`; `partial` ships what is there
 * now and backorders or cancels the rest as `partialRemainder` says.
 */
export class ShortagePolicyValue {
  @IsIn(SHORTAGE_MODES)
  mode: ShortageMode;

  /** Until when a backorder (or a partial order's backordered rest) may wait for stock. */
  @IsOptional()
  @IsISO8601()
  backorderDeadline?: string | null;

  @IsOptional()
  @IsIn(PARTIAL_REMAINDERS)
  partialRemainder?: PartialRemainder | null;
}

/**
 * The grade a returned unit gets at inspection: `A` sellable (back into stock), `B` damaged
 * (quarantined: on hand, never available), `C` scrap (written off).
 */
export const RETURN_GRADES = ['A', 'B', 'C'] as const;
export type ReturnGrade = (typeof RETURN_GRADES)[number];

/** A quantity of one SKU returned with one grade. */
export class GradedLineValue extends StockLineValue {
  @IsIn(RETURN_GRADES)
  grade: ReturnGrade;
}
