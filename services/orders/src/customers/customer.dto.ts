import { ApiProperty } from '@nestjs/swagger';
import { IsNumber, Max, Min, ValidateIf } from 'class-validator';

export class SetCreditLimitDto {
  @ApiProperty({ description: 'Credit limit for unpaid open orders; null removes the limit.', nullable: true, example: 5000 })
  @ValidateIf((_, value) => value !== null)
  @IsNumber({ maxDecimalPlaces: 4, allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(9_999_999_999)
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
