import { ApiProperty } from '@nestjs/swagger';
import { outOfRange } from '@skald/service-kit';
import { Max, Min, ValidateIf } from 'class-validator';
import { IsAmount, MAX_ORDER_AMOUNT } from '../shared/amount-bounds.js';

export class SetCreditLimitDto {
  @ApiProperty({ description: 'Credit limit for unpaid open orders; null removes the limit.', nullable: true, example: 5000 })
  @ValidateIf((_, value) => value !== null)
  @IsAmount()
  @Min(0)
  @Max(MAX_ORDER_AMOUNT, outOfRange())
  creditLimit: number | null;
}

export class CustomerCreditDto {
  @ApiProperty()
  id: string;

  @ApiProperty({ nullable: true, example: '5000', type: String })
  creditLimit: string | null;

  @ApiProperty({ description: 'Open unpaid order amounts per currency', example: { EUR: '120.5' } })
  exposure: Record<string, string>;
}
