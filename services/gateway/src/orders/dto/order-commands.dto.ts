import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsString, MaxLength, ValidateIf } from 'class-validator';
import { IsAmount, MAX_AMOUNT } from '../../http/validation.js';

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

export class CustomerCreditDto {
  @ApiProperty({
    description: "The customer's credit limit for unpaid open orders (at most 4 decimals); null removes the limit.",
    type: 'number',
    minimum: 0,
    maximum: MAX_AMOUNT,
    nullable: true,
    example: 5000,
  })
  @ValidateIf((_dto, value) => value !== null)
  @IsAmount()
  creditLimit: number | null;
}
