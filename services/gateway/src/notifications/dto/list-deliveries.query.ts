import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';

/** The notifications service's channels and delivery statuses (its delivery entity), as filters. */
export const DELIVERY_CHANNELS = ['email', 'sms', 'webhook'] as const;
export const DELIVERY_STATUSES = ['pending', 'sending', 'sent', 'failed'] as const;

export class ListDeliveriesQuery {
  @ApiPropertyOptional({ description: "Only the deliveries about this order (a return's deliveries carry its order).", maxLength: 100 })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  orderId?: string;

  @ApiPropertyOptional({ enum: DELIVERY_CHANNELS })
  @IsOptional()
  @IsIn(DELIVERY_CHANNELS)
  channel?: (typeof DELIVERY_CHANNELS)[number];

  @ApiPropertyOptional({ enum: DELIVERY_STATUSES, description: '`failed`: gave up after DELIVERY_MAX_ATTEMPTS (ADR 6).' })
  @IsOptional()
  @IsIn(DELIVERY_STATUSES)
  status?: (typeof DELIVERY_STATUSES)[number];

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page.', format: 'uuid' })
  @IsOptional()
  @IsUUID()
  cursor?: string;
}
