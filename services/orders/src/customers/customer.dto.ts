import { ApiProperty } from '@nestjs/swagger';
import { outOfRange } from '@skald/service-kit';
import { Matches, Max, Min, ValidateIf } from 'class-validator';
import { IsAmount, MAX_ORDER_AMOUNT } from '../shared/amount-bounds.js';

/** A platform's customer: the platform (tenant id) and the customer's id on that platform. */
export class CustomerParams {
  @ApiProperty({ description: 'The tenant id of the platform (as `skald platform create` prints it).' })
  @Matches(/^[\w-]{1,100}$/, { message: 'platformId must be a tenant id' })
  platformId: string;

  @ApiProperty({ description: "The customer's id on its platform.", pattern: '^[\\w.:@-]{1,100}$' })
  @Matches(/^[\w.:@-]{1,100}$/, { message: 'customerId must be 1 to 100 letters, digits, "_", ".", ":", "@" or "-"' })
  customerId: string;
}

/** A customer's credit limit, replaced as a whole. */
export class SetCreditLimitDto {
  @ApiProperty({ description: 'Credit limit for open unpaid orders in `currency`; null removes the limit.', type: Number, nullable: true, example: 5000 })
  @ValidateIf((_, value) => value !== null)
  @IsAmount()
  @Min(0)
  @Max(MAX_ORDER_AMOUNT, outOfRange())
  creditLimit: number | null;

  @ApiProperty({ description: "The limit's currency (ISO 4217); required with a limit, null or absent without.", type: String, nullable: true, required: false, example: 'EUR' })
  // Checked when there is a limit, or when one is given anyway (it must not be nonsense).
  @ValidateIf((dto: SetCreditLimitDto) => dto.creditLimit !== null || (dto.currency !== null && dto.currency !== undefined))
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code' })
  currency?: string | null;
}

export class OpenOrderView {
  @ApiProperty({ format: 'uuid', description: "The order's id" })
  id: string;

  @ApiProperty({ example: '120.5', description: 'Decimal string.' })
  amount: string;

  @ApiProperty({ example: 'EUR' })
  currency: string;

  @ApiProperty({ example: 'approved' })
  status: string;

  @ApiProperty({ format: 'date-time' })
  placedAt: string;
}

export class CustomerCreditView {
  @ApiProperty()
  platformId: string;

  @ApiProperty()
  customerId: string;

  @ApiProperty({ nullable: true, type: String, example: '5000', description: 'Decimal string; null: no limit, no credit check.' })
  creditLimit: string | null;

  @ApiProperty({ nullable: true, type: String, example: 'EUR', description: "The limit's currency; null without a limit." })
  currency: string | null;

  @ApiProperty({
    nullable: true,
    type: String,
    example: '120.5',
    description: "Open unpaid orders in the limit's currency (what the limit is checked against); null without a limit.",
  })
  openExposure: string | null;

  @ApiProperty({ type: [OpenOrderView], description: 'Open unpaid orders of the customer on this platform, in every currency, oldest first.' })
  openOrders: OpenOrderView[];

  @ApiProperty({ nullable: true, type: String, format: 'date-time', description: 'When the limit was last set; null if it never was.' })
  updatedAt: string | null;
}
