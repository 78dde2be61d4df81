import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, Matches } from 'class-validator';

export const RETURN_GROUPINGS = ['reason', 'sku', 'channel'] as const;
export type ReturnGrouping = (typeof RETURN_GROUPINGS)[number];

export class ReturnAnalyticsQuery {
  @ApiPropertyOptional({ description: 'Start (inclusive, ISO 8601); default 30 days before `to`' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ description: 'End (exclusive, ISO 8601); default now' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;

  @ApiPropertyOptional({ enum: RETURN_GROUPINGS, default: 'reason' })
  @IsOptional()
  @IsIn(RETURN_GROUPINGS)
  groupBy?: ReturnGrouping;

  @ApiPropertyOptional({ description: "One platform's figures only" })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,64}$/)
  platformId?: string;
}

export class ReturnFiguresView {
  @ApiProperty({ description: 'Units asked back in returns that were not rejected or cancelled' }) returnedUnits: number;
  @ApiProperty({ description: 'Units shipped in the period (all reasons: the same figure for each reason)' }) shippedUnits: number;
  @ApiProperty({ nullable: true, type: Number, description: 'returnedUnits / shippedUnits (4 decimals); null when nothing shipped' }) returnRate: number | null;
  @ApiProperty({ description: 'Returns (RMAs) with units in the group' }) returns: number;
}

export class ReturnGroupView extends ReturnFiguresView {
  @ApiProperty({ description: 'The reason code, SKU or channel' }) key: string;
}

export class ReturnAnalyticsView {
  @ApiProperty() from: string;
  @ApiProperty() to: string;
  @ApiProperty({ enum: RETURN_GROUPINGS }) groupBy: ReturnGrouping;
  @ApiProperty({ type: [ReturnGroupView], description: 'Most returned units first' }) groups: ReturnGroupView[];
  @ApiProperty({ type: ReturnFiguresView }) totals: ReturnFiguresView;
}
