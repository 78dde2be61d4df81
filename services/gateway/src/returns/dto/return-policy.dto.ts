import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsInt, IsNumber, IsOptional, IsUUID, Matches, Max, Min, ValidateIf } from 'class-validator';
import { AmountWithin, IsAmount, MAX_AMOUNT } from '../../http/validation.js';
import { REASON_CODE_PATTERN, REASON_CODE_PATTERN_MESSAGE } from './return-requests.dto.js';

/** A platform named by staff: its tenant id (ADR 7; whether it exists is the returns service's answer). */
export class PlatformParams {
  @ApiProperty({ description: 'The tenant id of the platform, as `skald platform create` prints it.', format: 'uuid' })
  @IsUUID()
  platformId: string;
}

/** A platform's return policy, replaced as a whole: absent fields take the defaults (30 days, no review, 100 %). */
export class ReturnPolicyDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: 365, default: 30, description: 'Days after delivery within which a return may be asked for.' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(365)
  windowDays?: number;

  @ApiPropertyOptional({
    type: [String],
    maxItems: 50,
    description: 'Reason codes whose returns always wait for a reviewer.',
    items: { type: 'string', pattern: REASON_CODE_PATTERN.source },
    example: ['CHANGED_MIND'],
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @Matches(REASON_CODE_PATTERN, { each: true, message: `each of reviewReasons ${REASON_CODE_PATTERN_MESSAGE}` })
  reviewReasons?: string[];

  @ApiPropertyOptional({
    type: 'number',
    nullable: true,
    minimum: 0,
    maximum: MAX_AMOUNT,
    description: "Returns worth more than this (the order's currency, at most 4 decimals) wait for a reviewer; null or absent: none for their worth.",
    example: 250,
  })
  @ValidateIf((_dto, value) => value !== null && value !== undefined)
  @IsAmount()
  @AmountWithin(MAX_AMOUNT)
  reviewAbove?: number | null;

  @ApiPropertyOptional({ type: 'number', minimum: 0, maximum: 100, default: 100, description: "Share of a scrapped (grade C) unit's price that is refunded, in percent (at most 2 decimals)." })
  @IsOptional()
  @IsNumber({ maxDecimalPlaces: 2, allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(100)
  scrapRefundPercent?: number;
}
