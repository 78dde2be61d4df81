import { ApiProperty } from '@nestjs/swagger';
import { ATTEMPT_OUTCOMES, type AttemptOutcome } from '../delivery-attempt.entity.js';
import { DELIVERY_CHANNELS, DELIVERY_STATUSES, type DeliveryChannel, type DeliveryStatus } from '../delivery.entity.js';

export class DeliveryAttemptDto {
  @ApiProperty({ type: 'integer', minimum: 1 })
  attempt: number;

  @ApiProperty({ format: 'date-time', description: 'When the attempt started.' })
  at: string;

  @ApiProperty({ type: 'integer', nullable: true })
  durationMs: number | null;

  @ApiProperty({ enum: ATTEMPT_OUTCOMES })
  outcome: AttemptOutcome;

  @ApiProperty({ type: String, nullable: true, description: 'SMTP reply, HTTP status and body, or the error.' })
  detail: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When the next attempt was scheduled.' })
  retryAt: string | null;
}

export class DeliveryDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid', description: 'The message that caused the delivery.' })
  sourceMessageId: string;

  @ApiProperty({ enum: DELIVERY_CHANNELS })
  channel: DeliveryChannel;

  @ApiProperty({ description: 'E-mail address, phone number or webhook subscription id.' })
  target: string;

  @ApiProperty({ description: 'What within the source message the delivery is about (an outbound note id), or empty.' })
  topic: string;

  @ApiProperty({ type: String, nullable: true })
  tenantId: string | null;

  @ApiProperty({ type: String, nullable: true })
  orderId: string | null;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'E-mail {subject, text, html}, SMS {body} or webhook {body}.',
  })
  payload: Record<string, unknown>;

  @ApiProperty({ enum: DELIVERY_STATUSES })
  status: DeliveryStatus;

  @ApiProperty({ type: 'integer', minimum: 0 })
  attemptCount: number;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Next attempt (or end of the current claim).' })
  nextAttemptAt: string | null;

  @ApiProperty({ type: String, nullable: true })
  lastError: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  sentAt: string | null;

  @ApiProperty({ type: [DeliveryAttemptDto] })
  attempts: DeliveryAttemptDto[];
}

export class DeliveryPageDto {
  @ApiProperty({ type: [DeliveryDto] })
  items: DeliveryDto[];

  @ApiProperty({ type: String, nullable: true, description: 'Pass as cursor for the next page; null on the last page.' })
  nextCursor: string | null;
}
