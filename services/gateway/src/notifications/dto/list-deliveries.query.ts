import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { PageQuery } from '../../http/page-query.dto.js';

/** The notifications service's channels and delivery statuses (its delivery entity), as filters. */
export const DELIVERY_CHANNELS = ['email', 'sms', 'webhook'] as const;
export const DELIVERY_STATUSES = ['pending', 'sending', 'sent', 'failed'] as const;

/** The filters of the deliveries list, and its page (at most 100, as every list of the public API). */
export class ListDeliveriesQuery extends PageQuery {
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

  // The notifications service's cursor is a delivery id: checked as one here too.
  @ApiPropertyOptional({ description: 'The `nextCursor` of the previous page.', format: 'uuid' })
  @IsOptional()
  @IsUUID()
  override cursor?: string;
}
