import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query, Req } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import type { Caller } from '@skald/service-kit';
import type { Request } from 'express';
import { AuthenticatedCaller, Authorize } from '../api-keys/authorize.decorator.js';
import { ForwardedResponses } from '../http/api-responses.js';
import { ProblemDto } from '@skald/service-kit';
import type { Reply } from '../http/reply.js';
import { PENDING_REVIEWS_SCHEMA, REVIEW_DECIDED_SCHEMA } from '../http/upstream-schemas.js';
import { Idempotent } from '../idempotency/idempotent.decorator.js';
import { forwardedRequest } from '../upstream/forwarded-request.js';
import { UpstreamClient } from '../upstream/upstream-client.js';
import { ReviewDecisionDto } from './dto/order-commands.dto.js';
import { ListReviewsQuery, OrderIdParams } from './dto/order-queries.dto.js';

/** The manual review queue: orders that tripped a soft rule wait here for a reviewer. */
@ApiTags('reviews')
@Controller('v1')
export class ReviewsController {
  constructor(private readonly upstream: UpstreamClient) {}

  @Get('reviews')
  @Authorize({ roles: ['reviewer'] })
  @ForwardedResponses()
  @ApiOperation({ summary: 'List orders waiting for review' })
  @ApiOkResponse({ description: 'Orders waiting for a reviewer, with their reasons.', schema: PENDING_REVIEWS_SCHEMA })
  list(@Query() _query: ListReviewsQuery, @AuthenticatedCaller() caller: Caller, @Req() req: Request): Promise<Reply> {
    return this.upstream.forward('orders', forwardedRequest(req, caller, { query: true }));
  }

  @Post('orders/:id/review')
  @HttpCode(HttpStatus.OK)
  @Authorize({ roles: ['reviewer'] })
  @Idempotent()
  @ForwardedResponses()
  @ApiOperation({ summary: 'Approve or reject an order waiting for review' })
  @ApiOkResponse({ description: 'The decision was recorded.', schema: REVIEW_DECIDED_SCHEMA })
  @ApiNotFoundResponse({ description: 'No such order.', type: ProblemDto })
  @ApiUnprocessableEntityResponse({ description: 'The order is not waiting for review (orders service code), or IDEMPOTENCY_KEY_REUSED.', type: ProblemDto })
  decide(
    @Param() _params: OrderIdParams,
    @Body() _decision: ReviewDecisionDto,
    @AuthenticatedCaller() caller: Caller,
    @Req() req: Request,
  ): Promise<Reply> {
    return this.upstream.forward('orders', forwardedRequest(req, caller, { body: true }));
  }
}
