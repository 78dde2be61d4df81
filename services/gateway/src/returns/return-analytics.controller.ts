import { Controller, Get, Query, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Caller } from '@skald/service-kit';
import type { Request } from 'express';
import { AuthenticatedCaller, Authorize } from '../api-keys/authorize.decorator.js';
import { ForwardedResponses } from '../http/api-responses.js';
import type { Reply } from '../http/reply.js';
import { forwardedRequest } from '../upstream/forwarded-request.js';
import { UpstreamClient } from '../upstream/upstream-client.js';
import { ReturnAnalyticsQuery } from './dto/return-analytics.dto.js';
import { RETURN_ANALYTICS_SCHEMA } from './return-schemas.js';

/** What comes back and why, for product and sales decisions. Served by the returns service. */
@ApiTags('returns')
@Controller('v1/analytics/returns')
export class ReturnAnalyticsController {
  constructor(private readonly upstream: UpstreamClient) {}

  @Get()
  @Authorize({ roles: ['reviewer', 'ops'] })
  @ForwardedResponses()
  @ApiOperation({
    summary: 'Return analytics',
    description: 'Returned and shipped units, return rate and number of returns over a period, by reason code, SKU or sales channel, and in total.',
  })
  @ApiOkResponse({ description: 'The figures.', schema: RETURN_ANALYTICS_SCHEMA })
  analytics(@Query() _query: ReturnAnalyticsQuery, @AuthenticatedCaller() caller: Caller, @Req() req: Request): Promise<Reply> {
    return this.upstream.forward('returns', forwardedRequest(req, caller, { query: true }));
  }
}
