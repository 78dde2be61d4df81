import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DeadLetterReplayDto, DeadLetterViewDto, MESSAGE_ID_PATTERN } from '@skald/service-kit';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import type { UpstreamName } from '../../upstream/upstream-client.js';

/** The services whose dead letters the gateway gathers (every owning service). */
export const DEAD_LETTER_SERVICES: readonly UpstreamName[] = ['orders', 'inventory', 'warehouse', 'returns', 'notifications'];

/** A saga as on-call names it: an order id (the orders saga) or an RMA number (the return saga). */
export const SAGA_PATTERN = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|RMA-\d{4}-\d{6,})$/i;
const SAGA_MESSAGE = 'saga must be an order id (uuid) or an RMA number (RMA-2026-000123)';

export class DeadLetterMessageIdParams {
  @ApiProperty({ description: 'The message id', example: '0f8e5c2a-6a1b-4f0e-9d1e-2f5a9b7c1d3e' })
  @Matches(MESSAGE_ID_PATTERN, { message: 'messageId must be 1–200 letters, digits or . : _ -' })
  messageId: string;
}

export class ListDeadLettersQuery {
  @ApiPropertyOptional({ enum: DEAD_LETTER_SERVICES, description: 'One service only (default: every service)' })
  @IsOptional()
  @IsIn(DEAD_LETTER_SERVICES)
  service?: UpstreamName;

  @ApiPropertyOptional({ description: "A saga's dead letters, whatever became of them: order id or RMA number (default: every dead letter still dead)" })
  @IsOptional()
  @Matches(SAGA_PATTERN, { message: SAGA_MESSAGE })
  saga?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}

export class DeadLetterServiceQuery {
  @ApiPropertyOptional({ enum: DEAD_LETTER_SERVICES, description: 'The service whose dead letter is meant, when an event is dead in two' })
  @IsOptional()
  @IsIn(DEAD_LETTER_SERVICES)
  service?: UpstreamName;
}

export class ReplaySagaBody {
  @ApiProperty({ description: 'Order id or RMA number: replays every dead letter of the saga, in every service, each once', example: 'RMA-2026-000123' })
  @IsString()
  @Matches(SAGA_PATTERN, { message: SAGA_MESSAGE })
  saga: string;
}

export class DiscardBody {
  @ApiProperty({ description: 'Why the message is dropped (recorded with who and when)', minLength: 1, maxLength: 500 })
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  @Matches(/\S/, { message: 'reason must not be blank' })
  reason: string;
}

export class DeadLetterServiceStateDto {
  @ApiProperty({ enum: DEAD_LETTER_SERVICES }) service: string;
  @ApiProperty({ description: 'False when the service did not answer: its dead letters are missing from the list' }) available: boolean;
  @ApiPropertyOptional({ type: 'integer', description: "Messages in the service's dead-letter queue now" }) depth?: number;
  @ApiPropertyOptional({ example: 'UPSTREAM_UNAVAILABLE' }) error?: string;
}

export class DeadLettersOverviewDto {
  @ApiPropertyOptional({ description: "The saga's correlation id (order id or return id), when a saga was asked for" }) correlationId?: string;
  @ApiProperty({ type: [DeadLetterServiceStateDto] }) services: DeadLetterServiceStateDto[];
  @ApiProperty({ type: [DeadLetterViewDto], description: 'Newest first' }) deadLetters: DeadLetterViewDto[];
}

export class DeadLetterReplaysDto {
  @ApiPropertyOptional({ description: 'The saga asked for' }) saga?: string;
  @ApiPropertyOptional({ description: "The saga's correlation id" }) correlationId?: string;
  @ApiProperty({ type: [DeadLetterReplayDto], description: 'What each service put back into its queue (services that replayed nothing left out)' }) replayed: DeadLetterReplayDto[];
  @ApiProperty({ type: [String], description: 'Services that did not answer: their dead letters were not replayed' }) unavailable: string[];
}
