import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';
import { CODE_PATTERN, CODE_PATTERN_MESSAGE, CURSOR_PATTERN, DATE_TIME_PATTERN, EXTERNAL_ID_PATTERN, EXTERNAL_ID_PATTERN_MESSAGE } from '../../http/validation.js';

/** The statuses of an outbound note, in order. */
export const OUTBOUND_NOTE_STATUSES = ['created', 'confirmed', 'picking', 'packed', 'shipped', 'cancelled'] as const;

export class OutboundNoteIdParams {
  @ApiProperty({ description: 'The outbound note.', format: 'uuid' })
  @IsUUID()
  id: string;
}

export class ShipmentIdParams {
  @ApiProperty({ description: 'The shipment.', format: 'uuid' })
  @IsUUID()
  id: string;
}

export class ListOutboundNotesQuery {
  @ApiPropertyOptional({ description: 'Only notes in this status.', enum: OUTBOUND_NOTE_STATUSES })
  @IsOptional()
  @IsIn(OUTBOUND_NOTE_STATUSES)
  status?: (typeof OUTBOUND_NOTE_STATUSES)[number];

  @ApiPropertyOptional({ description: 'Only notes of this warehouse.', pattern: CODE_PATTERN.source })
  @IsOptional()
  @Matches(CODE_PATTERN, { message: `warehouse ${CODE_PATTERN_MESSAGE}` })
  warehouse?: string;

  @ApiPropertyOptional({ description: "Only notes of this order (Skald's order id).", format: 'uuid' })
  @IsOptional()
  @IsUUID()
  orderId?: string;

  @ApiPropertyOptional({ description: "Only notes of orders with this id on their platform (the order's `externalId`).", pattern: EXTERNAL_ID_PATTERN.source, example: 'SHOP-10001' })
  @IsOptional()
  @Matches(EXTERNAL_ID_PATTERN, { message: `externalId ${EXTERNAL_ID_PATTERN_MESSAGE}` })
  externalId?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 200, description: 'Page size.' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ description: 'The `nextCursor` of the previous page.', pattern: CURSOR_PATTERN.source })
  @IsOptional()
  @Matches(CURSOR_PATTERN, { message: 'cursor must be a nextCursor the API returned' })
  cursor?: string;
}

/** The parcel left the warehouse. */
export class ShipDto {
  @ApiProperty({ minLength: 1, maxLength: 100, example: 'DHL' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  carrier: string;

  @ApiProperty({ minLength: 1, maxLength: 100, example: 'JD014600006281230704' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  trackingNumber: string;
}

/** The carrier delivered the shipment. */
export class DeliveredDto {
  @ApiPropertyOptional({ description: 'When the carrier delivered (ISO 8601 date-time with a time zone); now if omitted.', format: 'date-time' })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  @Matches(DATE_TIME_PATTERN, { message: 'deliveredAt must be a date-time with a time zone (2026-11-23T10:15:00Z)' })
  deliveredAt?: string;
}
