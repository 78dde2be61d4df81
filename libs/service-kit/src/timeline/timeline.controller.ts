import { BadRequestException, Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { ServiceTimeline } from '@skald/contracts';
import { ApiProblems } from '../http/api-problems.js';
import { Access } from '../http/caller.js';
import { ServiceTimelines } from './service-timeline.js';

/** What a correlation id looks like: an order's or return's uuid, an RMA number, a request's own id. */
export const CORRELATION_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/** `GET /internal/timeline/{correlationId}`: this service's part of a saga's timeline (internal token required). */
@ApiTags('operations')
@Controller('internal/timeline')
export class TimelineController {
  constructor(private readonly timelines: ServiceTimelines) {}

  @Get(':correlationId')
  @Access({ roles: ['ops'] })
  @ApiOperation({ summary: "This service's part of a saga's timeline: its records for the correlation id, time-ordered" })
  @ApiOkResponse({ description: 'ServiceTimeline (entries empty when the service never saw the id)' })
  @ApiProblems([400, 401, 403])
  timeline(@Param('correlationId') correlationId: string): Promise<ServiceTimeline> {
    if (!CORRELATION_ID_PATTERN.test(correlationId)) {
      throw new BadRequestException({
        code: 'VALIDATION_FAILED',
        detail: 'Invalid correlation id.',
        errors: [{ field: 'correlationId', message: 'correlationId must be 1–128 letters, digits, ".", "_", ":" or "-"' }],
      });
    }
    return this.timelines.timeline(correlationId);
  }
}
