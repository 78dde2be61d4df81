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
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsEmail,
  IsIn,
  IsInt,
  IsISO8601,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { outOfRange } from '@skald/service-kit';
import { InCurrencyMinorUnits, IsAmount, LinesTotalWithinBounds, MAX_ORDER_AMOUNT, MAX_QUANTITY, MAX_UNIT_PRICE } from '../shared/amount-bounds.js';

export class CustomerDto {
  @ApiProperty({ example: 'C-1001' })
  @IsString()
  @Matches(/^[\w.:@-]{1,100}$/, { message: 'id must be 1-100 letters, digits or ._:@-' })
  id: string;

  @ApiProperty({ example: 'Ann Example' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name: string;

  @ApiProperty({ example: 'ann@example.com' })
  @IsEmail()
  @MaxLength(254)
  email: string;

  @ApiPropertyOptional({ example: '+3212345678', pattern: PHONE_PATTERN.source })
  @IsOptional()
  @IsString()
  @Matches(PHONE_PATTERN, { message: `phone ${PHONE_PATTERN_MESSAGE}` })
  phone?: string;
}

export class OrderLineDto {
  @ApiProperty({ example: 'MUG-01' })
  @IsString()
  @Matches(/^[A-Za-z0-9._-]{1,64}$/, { message: 'sku must be 1-64 letters, digits or ._-' })
  sku: string;

  @ApiProperty({ example: 2, minimum: 1, maximum: MAX_QUANTITY, description: 'Out of range: 422 AMOUNT_OUT_OF_RANGE' })
  @IsInt()
  @Min(1)
  @Max(MAX_QUANTITY, outOfRange())
  quantity: number;

  @ApiProperty({ example: 12.5, minimum: 0, maximum: MAX_UNIT_PRICE, description: "At most the currency's minor-unit decimals (EUR 2, JPY 0). Too large: 422 AMOUNT_OUT_OF_RANGE" })
  @IsAmount()
  @Min(0)
  @Max(MAX_UNIT_PRICE, outOfRange())
  unitPrice: number;
}

export class AddressDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(200) line1: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) line2?: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(100) city: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(20) postalCode: string;

  @ApiProperty({ example: 'BE', description: 'ISO 3166-1 alpha-2' })
  @Matches(/^[A-Z]{2}$/, { message: 'country must be an ISO 3166-1 alpha-2 code' })
  country: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) region?: string;

  @ApiPropertyOptional({ maxLength: RECIPIENT_NAME_MAX_LENGTH, example: 'Bo Giftee', description: "Who receives the parcel (default: the customer's name)" })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(RECIPIENT_NAME_MAX_LENGTH)
  name?: string;

  @ApiPropertyOptional({ pattern: PHONE_PATTERN.source, example: '+32470000009', description: "The recipient's phone, for the label (default: the customer's)" })
  @IsOptional()
  @IsString()
  @Matches(PHONE_PATTERN, { message: `phone ${PHONE_PATTERN_MESSAGE}` })
  phone?: string;

  @ApiPropertyOptional({ maxLength: RECIPIENT_COMPANY_MAX_LENGTH, example: 'Acme NV', description: "The recipient's company, if any" })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(RECIPIENT_COMPANY_MAX_LENGTH)
  company?: string;
}

export class PaymentDto {
  @ApiProperty({ example: 'card' })
  @IsString()
  @Matches(/^[a-z][a-z0-9_-]{0,31}$/, { message: 'method must be a lower-case word' })
  method: string;

  @ApiProperty({ enum: ['pending', 'paid'] })
  @IsIn(['pending', 'paid'])
  status: 'pending' | 'paid';

  @ApiProperty({ example: 25, minimum: 0, maximum: MAX_ORDER_AMOUNT, description: "At most the currency's minor-unit decimals (EUR 2, JPY 0). Too large: 422 AMOUNT_OUT_OF_RANGE" })
  @IsAmount()
  @Min(0)
  @Max(MAX_ORDER_AMOUNT, outOfRange())
  amount: number;
}

export class ShortagePolicyDto {
  @ApiProperty({ enum: SHORTAGE_MODES, description: 'reject: cancel when short; backorder: wait for the rest; partial: ship what is there now' })
  @IsIn(SHORTAGE_MODES)
  mode: ShortageMode;

  @ApiPropertyOptional({ format: 'date-time', description: "Until when a backorder waits (default: the platform's backorder days)" })
  @IsOptional()
  @IsISO8601({ strict: true })
  backorderDeadline?: string;

  @ApiPropertyOptional({ enum: PARTIAL_REMAINDERS, description: "partial only: backorder or cancel what is not available now (default: the platform's)" })
  @IsOptional()
  @IsIn(PARTIAL_REMAINDERS)
  partialRemainder?: PartialRemainder;
}

export class PlaceOrderDto {
  @ApiProperty({ example: 'SHOP-10001', description: "The platform's own order id; unique per platform" })
  @IsString()
  @Matches(/^[\w.:#/-]{1,100}$/, { message: 'externalId must be 1-100 letters, digits or ._:#/-' })
  externalId: string;

  @ApiProperty({ example: 'web', description: 'web, marketplace, phone, email, sales, …' })
  @Matches(/^[a-z][a-z0-9_-]{0,31}$/, { message: 'channel must be a lower-case word' })
  channel: string;

  @ApiProperty({ type: CustomerDto })
  @ValidateNested()
  @Type(() => CustomerDto)
  customer: CustomerDto;

  @ApiProperty({ type: [OrderLineDto], description: `Their total (quantity × unitPrice) is at most ${MAX_ORDER_AMOUNT}; more: 422 AMOUNT_OUT_OF_RANGE` })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => OrderLineDto)
  @LinesTotalWithinBounds()
  @InCurrencyMinorUnits()
  lines: OrderLineDto[];

  @ApiProperty({ example: 'EUR' })
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code' })
  currency: string;

  @ApiProperty({ type: AddressDto })
  @ValidateNested()
  @Type(() => AddressDto)
  shippingAddress: AddressDto;

  @ApiProperty({ type: PaymentDto })
  @ValidateNested()
  @Type(() => PaymentDto)
  @InCurrencyMinorUnits()
  payment: PaymentDto;

  @ApiPropertyOptional({ example: '2026-12-01' })
  @IsOptional()
  @IsISO8601({ strict: true })
  requestedDeliveryDate?: string;

  @ApiPropertyOptional({ type: ShortagePolicyDto, description: "What happens when stock is short (default: the platform's policy)" })
  @IsOptional()
  @ValidateNested()
  @Type(() => ShortagePolicyDto)
  shortagePolicy?: ShortagePolicyDto;
}

export class OrderAcceptedDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'received' }) status: string;
  @ApiProperty() externalId: string;
}
