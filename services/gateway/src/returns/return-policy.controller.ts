import { Body, Controller, Get, Param, Put, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import type { Caller } from '@skald/service-kit';
import { ProblemDto } from '@skald/service-kit';
import type { Request } from 'express';
import { AuthenticatedCaller, Authorize } from '../api-keys/authorize.decorator.js';
import { ForwardedResponses } from '../http/api-responses.js';
import type { Reply } from '../http/reply.js';
import { Idempotent } from '../idempotency/idempotent.decorator.js';
import { forwardedRequest } from '../upstream/forwarded-request.js';
import { UpstreamClient } from '../upstream/upstream-client.js';
import { PlatformParams, ReturnPolicyDto } from './dto/return-policy.dto.js';
import { RETURN_POLICY_SCHEMA } from './return-schemas.js';

/** Each platform's return policy: staff `admin` sets it, reviewers and ops read it. Served by the returns service. */
@ApiTags('returns')
@Controller('v1/platforms/:platformId/return-policy')
export class ReturnPolicyController {
  constructor(private readonly upstream: UpstreamClient) {}

  @Put()
  @Authorize({ roles: ['admin'] })
  @Idempotent()
  @ForwardedResponses()
  @ApiOperation({
    summary: "Set a platform's return policy",
    description: 'Replaces it as a whole: return window, reason codes and worth that wait for a reviewer, refund share of scrapped units. Absent fields take the defaults (30 days, no review, 100 %).',
  })
  @ApiOkResponse({ description: 'The policy now.', schema: RETURN_POLICY_SCHEMA })
  @ApiUnprocessableEntityResponse({ description: 'reviewAbove too large (AMOUNT_OUT_OF_RANGE), or IDEMPOTENCY_KEY_REUSED.', type: ProblemDto })
  set(@Param() _params: PlatformParams, @Body() _policy: ReturnPolicyDto, @AuthenticatedCaller() caller: Caller, @Req() req: Request): Promise<Reply> {
    return this.upstream.forward('returns', forwardedRequest(req, caller, { body: true }));
  }

  @Get()
  @Authorize({ roles: ['reviewer', 'ops'] })
  @ForwardedResponses()
  @ApiOperation({ summary: "A platform's return policy", description: 'The defaults while the platform has none of its own (`isDefault`).' })
  @ApiOkResponse({ description: 'The policy.', schema: RETURN_POLICY_SCHEMA })
  get(@Param() _params: PlatformParams, @AuthenticatedCaller() caller: Caller, @Req() req: Request): Promise<Reply> {
    return this.upstream.forward('returns', forwardedRequest(req, caller));
  }
}
