import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { DeadLetterAction, DeadLetterDetail, DeadLetterReplay, DeadLetterStatus, DeadLetterView, ServiceDeadLetters } from '@skald/contracts';
import { Type } from 'class-transformer';
import { IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';

/** A message id as the platform makes them (uuids), or as another publisher may (letters, digits, `.:_-`). */
export const MESSAGE_ID_PATTERN = /^[\w.:-]{1,200}$/;

/** `{messageId}` of the dead-letter routes. */
export class DeadLetterIdParams {
  @ApiProperty({ description: 'The message id (AMQP message-id)', example: '0f8e5c2a-6a1b-4f0e-9d1e-2f5a9b7c1d3e' })
  @Matches(MESSAGE_ID_PATTERN, { message: 'messageId must be 1–200 letters, digits or . : _ -' })
  messageId: string;
}

/** `GET /internal/dead-letters` query. */
export class ListDeadLettersQuery {
  @ApiPropertyOptional({ description: "A saga's correlation id: its dead letters, whatever became of them (else: those still dead)" })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  correlationId?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}

/** `POST /internal/dead-letters/replay` body: a saga's dead letters. */
export class ReplayDeadLettersBody {
  @ApiProperty({ description: 'Replays every dead letter of this correlation id (a saga)' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  correlationId: string;
}

/** `POST /internal/dead-letters/{messageId}/discard` body: why (required). */
export class DiscardDeadLetterBody {
  @ApiProperty({ description: 'Why the message is dropped (kept with who and when)', minLength: 1, maxLength: 500 })
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  @Matches(/\S/, { message: 'reason must not be blank' })
  reason: string;
}

/** DeadLetterAction in the OpenAPI documents. */
export class DeadLetterActionDto implements DeadLetterAction {
  @ApiProperty({ enum: ['replayed', 'discarded'] }) action: 'replayed' | 'discarded';
  @ApiProperty({ description: 'The staff principal (API key id) who acted' }) by: string;
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiPropertyOptional() reason?: string;
}

/** DeadLetterView in the OpenAPI documents (the gateway's too). */
export class DeadLetterViewDto implements DeadLetterView {
  @ApiProperty({ example: 'inventory' }) service: string;
  @ApiProperty() messageId: string;
  @ApiProperty({ example: 'inventory.reserve-stock.v1' }) routingKey: string;
  @ApiPropertyOptional({ description: "The saga's correlation id (order id or return id)" }) correlationId?: string;
  @ApiPropertyOptional() tenantId?: string;
  @ApiProperty({ example: 'RETRIES_EXHAUSTED', description: 'INVALID_ENVELOPE, INVALID_PAYLOAD, NO_HANDLER, NON_RETRYABLE_ERROR, RETRIES_EXHAUSTED or DELIVERY_LIMIT (dead-lettered by the broker)' })
  reason: string;
  @ApiProperty({ example: 'INTERNAL: connection reset' }) error: string;
  @ApiProperty({ type: 'integer' }) attempts: number;
  @ApiPropertyOptional({ format: 'date-time' }) deadLetteredAt?: string;
  @ApiPropertyOptional({ description: 'W3C trace id (32 hex)' }) traceId?: string;
  @ApiProperty({ enum: ['dead', 'replayed', 'discarded'] }) status: DeadLetterStatus;
  @ApiProperty({ description: "In the service's dead-letter queue now" }) inQueue: boolean;
  @ApiProperty({ description: 'False for a message the broker dead-lettered itself (no record of the service)' }) recorded: boolean;
  @ApiProperty({ type: [DeadLetterActionDto] }) actions: DeadLetterActionDto[];
}

/** DeadLetterDetail in the OpenAPI documents. */
export class DeadLetterDetailDto extends DeadLetterViewDto implements DeadLetterDetail {
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'AMQP headers (while in the queue)' }) headers?: Record<string, unknown>;
  @ApiPropertyOptional({ description: 'The message body, secret fields redacted (while in the queue)' }) body?: unknown;
}

/** ServiceDeadLetters in the OpenAPI documents. */
export class ServiceDeadLettersDto implements ServiceDeadLetters {
  @ApiProperty() service: string;
  @ApiProperty({ type: 'integer', description: "Messages in the service's dead-letter queue now" }) depth: number;
  @ApiProperty({ type: [DeadLetterViewDto] }) deadLetters: DeadLetterViewDto[];
}

/** DeadLetterReplay in the OpenAPI documents. */
export class DeadLetterReplayDto implements DeadLetterReplay {
  @ApiProperty() service: string;
  @ApiProperty({ type: [String], description: 'Message ids put back into the service queue, each once' }) replayed: string[];
}
