import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../pagination.js';
import { OUTBOUND_NOTE_STATUSES, type OutboundNoteStatus } from '../outbound-note-status.js';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class OutboundNoteIdParams {
  @ApiProperty({ format: 'uuid', description: 'Outbound note id' })
  @IsUUID()
  id: string;
}

export class ListOutboundNotesQuery {
  @ApiPropertyOptional({ enum: OUTBOUND_NOTE_STATUSES })
  @IsOptional()
  @IsIn(OUTBOUND_NOTE_STATUSES)
  status?: OutboundNoteStatus;

  @ApiPropertyOptional({ example: 'SH-01' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  warehouse?: string;

  @ApiPropertyOptional({ description: "Only the notes of this order (Skald's order id)" })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  orderId?: string;

  @ApiPropertyOptional({ description: "Only the notes of orders with this id on their platform (the order's externalId)" })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  externalId?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  cursor?: string;
}

export class ShipOutboundNoteBody {
  @ApiProperty({ example: 'SF Express', maxLength: 100 })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  carrier: string;

  @ApiProperty({ example: 'SF1234567890', maxLength: 100 })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  trackingNumber: string;
}
