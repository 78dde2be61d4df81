import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  PARTIAL_REMAINDERS,
  PHONE_PATTERN,
  PHONE_PATTERN_MESSAGE,
  RECIPIENT_COMPANY_MAX_LENGTH,
  RECIPIENT_NAME_MAX_LENGTH,
  SHORTAGE_MODES,
  type PartialRemainder,
  type ShortageMode,
} from '@skald/contracts';
import { outOfRange } from '@skald/service-kit';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsEmail,
  IsIn,
  IsInt,
  IsISO31661Alpha2,
  IsISO4217CurrencyCode,
  IsISO8601,
  IsNotEmpty,
  IsNotEmptyObject,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import {
  CODE_PATTERN,
  CODE_PATTERN_MESSAGE,
  CUSTOMER_ID_PATTERN,
  CUSTOMER_ID_PATTERN_MESSAGE,
  DATE_PATTERN,
  EXTERNAL_ID_PATTERN,
  EXTERNAL_ID_PATTERN_MESSAGE,
  AmountWithin,
  InCurrencyMinorUnits,
  IsAmount,
  LinesTotalWithin,
  MAX_AMOUNT,
  MAX_QUANTITY,
  MAX_UNIT_PRICE,
  WORD_PATTERN,
  WORD_PATTERN_MESSAGE,
} from '../../http/validation.js';

export class OrderCustomerDto {
  @ApiProperty({ description: "The customer's id on the platform.", pattern: CUSTOMER_ID_PATTERN.source, example: 'cust-1042' })
  @IsString()
  @Matches(CUSTOMER_ID_PATTERN, { message: `id ${CUSTOMER_ID_PATTERN_MESSAGE}` })
  id: string;

  @ApiProperty({ minLength: 1, maxLength: 200, example: 'Ada Lovelace' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name: string;

  @ApiProperty({ format: 'email', maxLength: 254, example: 'ada@example.org' })
  @IsEmail()
  @MaxLength(254)
  email: string;

  @ApiPropertyOptional({ pattern: PHONE_PATTERN.source, example: '+44 20 7946 0000' })
  @IsOptional()
  @IsString()
  @Matches(PHONE_PATTERN, { message: `phone ${PHONE_PATTERN_MESSAGE}` })
  phone?: string;
}

export class OrderLineDto {
  @ApiProperty({ minLength: 1, maxLength: 64, pattern: CODE_PATTERN.source, example: 'TEA-EARLGREY-250' })
  @IsString()
  @Matches(CODE_PATTERN, { message: `sku ${CODE_PATTERN_MESSAGE}` })
  sku: string;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: MAX_QUANTITY, example: 2, description: 'Out of range: 422 AMOUNT_OUT_OF_RANGE.' })
  @IsInt()
  @Min(1)
  @Max(MAX_QUANTITY, outOfRange())
  quantity: number;

  @ApiProperty({ description: "Unit price offered to the customer, at most the currency's minor-unit decimals (EUR 2, JPY 0). Too large: 422 AMOUNT_OUT_OF_RANGE.", minimum: 0, maximum: MAX_UNIT_PRICE, example: 12.5 })
  @IsAmount()
  @AmountWithin(MAX_UNIT_PRICE)
  unitPrice: number;
}

export class ShippingAddressDto {
  @ApiProperty({ minLength: 1, maxLength: 200, example: '12 Analytical Row' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  line1: string;

  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  line2?: string;

  @ApiProperty({ minLength: 1, maxLength: 100, example: 'London' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  city: string;

  @ApiProperty({ minLength: 1, maxLength: 20, example: 'N1 9GU' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(20)
  postalCode: string;

  @ApiProperty({ description: 'ISO 3166-1 alpha-2, upper case.', example: 'GB', pattern: '^[A-Z]{2}$' })
  @IsString()
  @Matches(/^[A-Z]{2}$/, { message: 'country must be an upper-case ISO 3166-1 alpha-2 code' })
  @IsISO31661Alpha2()
  country: string;

  @ApiPropertyOptional({ maxLength: 100 })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  region?: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: RECIPIENT_NAME_MAX_LENGTH, example: 'Grace Hopper', description: "Who receives the parcel: a gift goes to someone else than the customer. Default: the customer's name." })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(RECIPIENT_NAME_MAX_LENGTH)
  name?: string;

  @ApiPropertyOptional({ pattern: PHONE_PATTERN.source, example: '+44 20 7946 0001', description: "The recipient's phone, for the carrier's label. Default: the customer's." })
  @IsOptional()
  @IsString()
  @Matches(PHONE_PATTERN, { message: `phone ${PHONE_PATTERN_MESSAGE}` })
  phone?: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: RECIPIENT_COMPANY_MAX_LENGTH, example: 'Analytical Engines Ltd', description: "The recipient's company, if any." })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(RECIPIENT_COMPANY_MAX_LENGTH)
  company?: string;
}

export class PaymentDto {
  @ApiProperty({ description: 'How the customer pays: a lower-case word (card, invoice, cod, …).', pattern: WORD_PATTERN.source, example: 'card' })
  @IsString()
  @Matches(WORD_PATTERN, { message: `method ${WORD_PATTERN_MESSAGE}` })
  method: string;

  @ApiProperty({ enum: ['pending', 'paid'] })
  @IsIn(['pending', 'paid'])
  status: 'pending' | 'paid';

  @ApiProperty({ minimum: 0, maximum: MAX_AMOUNT, example: 25, description: "What the customer paid (or is to pay), at most the currency's minor-unit decimals. Too large: 422 AMOUNT_OUT_OF_RANGE." })
  @IsAmount()
  @AmountWithin(MAX_AMOUNT)
  amount: number;
}

/** What happens to the order when stock is short (default: the platform's policy). */
export class ShortagePolicyDto {
  @ApiProperty({ enum: SHORTAGE_MODES, description: 'reject: cancel the order (STOCK_SHORT); backorder: reserve what is there and wait for the rest; partial: ship what is there now' })
  @IsIn(SHORTAGE_MODES)
  mode: ShortageMode;

  @ApiPropertyOptional({ format: 'date-time', description: "Until when the backorder (or a partial order's backordered rest) waits; default: the platform's backorder days." })
  @IsOptional()
  @IsISO8601({ strict: true })
  backorderDeadline?: string;

  @ApiPropertyOptional({ enum: PARTIAL_REMAINDERS, description: "partial only: backorder or cancel the rest; default: the platform's." })
  @IsOptional()
  @IsIn(PARTIAL_REMAINDERS)
  partialRemainder?: PartialRemainder;
}

/** An order as a platform (or a channel on its behalf) places it. */
export class PlaceOrderDto {
  @ApiProperty({ description: "The order's id on the platform (unique per platform).", pattern: EXTERNAL_ID_PATTERN.source, example: 'web-100042' })
  @IsString()
  @Matches(EXTERNAL_ID_PATTERN, { message: `externalId ${EXTERNAL_ID_PATTERN_MESSAGE}` })
  externalId: string;

  @ApiProperty({ description: 'Where the order came from: web, marketplace, phone, email, sales, …', pattern: WORD_PATTERN.source, example: 'web' })
  @IsString()
  @Matches(WORD_PATTERN, { message: `channel ${WORD_PATTERN_MESSAGE}` })
  channel: string;

  @ApiProperty({ type: OrderCustomerDto })
  @IsObject()
  @IsNotEmptyObject()
  @ValidateNested()
  @Type(() => OrderCustomerDto)
  customer: OrderCustomerDto;

  @ApiProperty({ type: [OrderLineDto], minItems: 1, maxItems: 200, description: `Their total (quantity × unitPrice) is at most ${MAX_AMOUNT}; more: 422 AMOUNT_OUT_OF_RANGE.` })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => OrderLineDto)
  @LinesTotalWithin(MAX_AMOUNT)
  @InCurrencyMinorUnits()
  lines: OrderLineDto[];

  @ApiProperty({ description: 'ISO 4217 currency code.', example: 'EUR' })
  @IsISO4217CurrencyCode()
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be upper case, like EUR' })
  currency: string;

  @ApiProperty({ type: ShippingAddressDto })
  @IsObject()
  @IsNotEmptyObject()
  @ValidateNested()
  @Type(() => ShippingAddressDto)
  shippingAddress: ShippingAddressDto;

  @ApiProperty({ type: PaymentDto })
  @IsObject()
  @IsNotEmptyObject()
  @ValidateNested()
  @Type(() => PaymentDto)
  @InCurrencyMinorUnits()
  payment: PaymentDto;

  @ApiPropertyOptional({ description: 'ISO date (YYYY-MM-DD).', format: 'date', example: '2026-12-24' })
  @IsOptional()
  @Matches(DATE_PATTERN, { message: 'requestedDeliveryDate must be an ISO date (YYYY-MM-DD)' })
  @IsISO8601({ strict: true })
  requestedDeliveryDate?: string;

  @ApiPropertyOptional({ type: ShortagePolicyDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ShortagePolicyDto)
  shortagePolicy?: ShortagePolicyDto;
}

/** What POST /v1/orders answers: the order was accepted for review. */
export class OrderAcceptedDto {
  @ApiProperty({ description: "Skald's id of the order." })
  id: string;

  @ApiProperty({ example: 'received' })
  status: string;

  @ApiProperty({ example: 'web-100042' })
  externalId: string;
}
