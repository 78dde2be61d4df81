import { Controller, Get, Query } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiResponse, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { Access } from '@skald/service-kit';
import { DeliveriesService, type DeliveryWithAttempts } from './deliveries.service.js';
import type { DeliveryAttempt } from './delivery-attempt.entity.js';
import { DeliveryPageDto, type DeliveryAttemptDto, type DeliveryDto } from './dto/delivery-page.dto.js';
import { ListDeliveriesQuery } from './dto/list-deliveries.query.js';
import { ProblemDto } from '@skald/service-kit';

@ApiTags('deliveries')
@ApiExtraModels(ProblemDto)
@Controller('v1/deliveries')
export class DeliveriesController {
  constructor(private readonly deliveries: DeliveriesService) {}

  @Get()
  @Access({ roles: ['ops'] })
  @ApiOperation({
    summary: 'Deliveries (e-mail, SMS, webhook) with their attempts, newest first',
    description: 'Staff (ops). Filter by order, channel and status; page with nextCursor.',
    // Internal API: the gateway authenticates the caller and passes it in x-skald-* headers.
  })
  @ApiOkResponse({ type: DeliveryPageDto, description: 'A page of deliveries.' })
  @ApiResponse(problem(400, 'Invalid filter or cursor (VALIDATION_FAILED, INVALID_CURSOR).'))
  @ApiResponse(problem(401, 'No authenticated caller (UNAUTHENTICATED).'))
  @ApiResponse(problem(403, 'The caller is not ops staff (FORBIDDEN).'))
  async list(@Query() query: ListDeliveriesQuery): Promise<DeliveryPageDto> {
    const page = await this.deliveries.list({
      orderId: query.orderId,
      channel: query.channel,
      status: query.status,
      limit: query.limit,
      after: query.cursor,
    });
    return { items: page.items.map(toDeliveryDto), nextCursor: page.nextCursor };
  }
}

function problem(status: number, description: string) {
  return { status, description, content: { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemDto) } } } };
}

function toDeliveryDto({ delivery, attempts }: DeliveryWithAttempts): DeliveryDto {
  return {
    id: delivery.id,
    sourceMessageId: delivery.sourceMessageId,
    channel: delivery.channel,
    target: delivery.target,
    topic: delivery.topic,
    tenantId: delivery.tenantId,
    orderId: delivery.orderId,
    payload: { ...delivery.payload },
    status: delivery.status,
    attemptCount: delivery.attempts,
    nextAttemptAt: delivery.nextAttemptAt?.toISOString() ?? null,
    lastError: delivery.lastError,
    createdAt: delivery.createdAt.toISOString(),
    sentAt: delivery.sentAt?.toISOString() ?? null,
    attempts: attempts.map(toAttemptDto),
  };
}

function toAttemptDto(attempt: DeliveryAttempt): DeliveryAttemptDto {
  return {
    attempt: attempt.attempt,
    at: attempt.at.toISOString(),
    durationMs: attempt.durationMs,
    outcome: attempt.outcome,
    detail: attempt.detail,
    retryAt: attempt.retryAt?.toISOString() ?? null,
  };
}
