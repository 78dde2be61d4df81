import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsUUID, Matches } from 'class-validator';
import { DATE_PATTERN, DATE_TIME_PATTERN } from '../../http/validation.js';

export const RETURN_ANALYTICS_GROUPS = ['reason', 'sku', 'channel'] as const;

const DAY_OR_INSTANT = new RegExp(`(${DATE_PATTERN.source})|(${DATE_TIME_PATTERN.source})`);
const DAY_OR_INSTANT_MESSAGE = 'must be a date (2026-11-01) or a date-time with a time zone (2026-11-01T00:00:00Z)';

/** Returned and shipped units over a period, grouped for product and sales decisions. */
export class ReturnAnalyticsQuery {
  @ApiPropertyOptional({ description: 'Start of the period, inclusive (a date, or a date-time with a time zone); absent: 30 days before `to`.', example: '2026-11-01' })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  @Matches(DAY_OR_INSTANT, { message: `from ${DAY_OR_INSTANT_MESSAGE}` })
  from?: string;

  @ApiPropertyOptional({ description: 'End of the period, exclusive (a date, or a date-time with a time zone); absent: now.', example: '2026-12-01' })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  @Matches(DAY_OR_INSTANT, { message: `to ${DAY_OR_INSTANT_MESSAGE}` })
  to?: string;

  @ApiPropertyOptional({ enum: RETURN_ANALYTICS_GROUPS, default: 'reason', description: 'Groups by reason code, SKU or sales channel.' })
  @IsOptional()
  @IsIn(RETURN_ANALYTICS_GROUPS)
  groupBy?: (typeof RETURN_ANALYTICS_GROUPS)[number];

  @ApiPropertyOptional({ description: "One platform's figures only: its tenant id, as `skald platform create` prints it.", format: 'uuid' })
  @IsOptional()
  @IsUUID()
  platformId?: string;
}
