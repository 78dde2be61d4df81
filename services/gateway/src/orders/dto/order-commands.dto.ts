import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsISO4217CurrencyCode,
  IsNotEmpty,
  IsNotEmptyObject,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { AmountWithin, IsAmount, LinesTotalWithin, MAX_AMOUNT } from '../../http/validation.js';
import { OrderLineDto, ShippingAddressDto } from './place-order.dto.js';

/** Why an order is cancelled. */
export class CancelOrderDto {
  @ApiProperty({ description: 'Why (kept in the status history; the customer is told).', minLength: 1, maxLength: 500, example: 'customer changed their mind' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  reason: string;
}

/** A change of an order not locked yet (received or on hold): what is given replaces what the order has. */
export class ModifyOrderDto {
  @ApiPropertyOptional({ type: [OrderLineDto], minItems: 1, maxItems: 200, description: 'All the lines the order should have.' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => OrderLineDto)
  @LinesTotalWithin(MAX_AMOUNT)
  lines?: OrderLineDto[];

  @ApiPropertyOptional({ type: ShippingAddressDto })
  @IsOptional()
  @IsObject()
  @IsNotEmptyObject()
  @ValidateNested()
  @Type(() => ShippingAddressDto)
  shippingAddress?: ShippingAddressDto;
}

/** A reviewer's decision on an order waiting for manual review. */
export class ReviewDecisionDto {
  @ApiProperty({ enum: ['approve', 'reject'] })
  @IsIn(['approve', 'reject'])
  decision: 'approve' | 'reject';

  @ApiProperty({ description: 'Why (kept with the decision; a rejection reason reaches the customer).', minLength: 1, maxLength: 1000 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  reason: string;
}

/** A platform's customer's credit limit, replaced as a whole. */
export class SetCreditLimitDto {
  @ApiProperty({
    description: "Credit limit for the customer's open unpaid orders in `currency` (at most 4 decimals); null removes the limit.",
    type: 'number',
    minimum: 0,
    maximum: MAX_AMOUNT,
    nullable: true,
    example: 5000,
  })
  @ValidateIf((_dto, value) => value !== null)
  @IsAmount()
  @AmountWithin(MAX_AMOUNT)
  creditLimit: number | null;

  @ApiPropertyOptional({
    description: "The limit's currency (ISO 4217): required with a limit; null or absent when `creditLimit` is null.",
    type: 'string',
    nullable: true,
    example: 'EUR',
  })
  // Checked when there is a limit, or when one is sent anyway (it must not be nonsense).
  @ValidateIf((dto: SetCreditLimitDto) => dto.creditLimit !== null || (dto.currency !== null && dto.currency !== undefined))
  @IsISO4217CurrencyCode()
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be upper case, like EUR' })
  currency?: string | null;
}
