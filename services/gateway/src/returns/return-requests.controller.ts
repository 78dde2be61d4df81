import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query, Req } from '@nestjs/common';
import { ApiAcceptedResponse, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import type { Caller } from '@skald/service-kit';
import { ProblemDto } from '@skald/service-kit';
import type { Request } from 'express';
import { AuthenticatedCaller, Authorize } from '../api-keys/authorize.decorator.js';
import { ForwardedResponses } from '../http/api-responses.js';
import type { Reply } from '../http/reply.js';
import { Idempotent } from '../idempotency/idempotent.decorator.js';
import { forwardedRequest } from '../upstream/forwarded-request.js';
import { UpstreamClient } from '../upstream/upstream-client.js';
import { CancelReturnDto, InspectReturnDto, ListReturnsQuery, ReceiveReturnDto, RequestReturnDto, ReturnIdParams, ReviewReturnDto } from './dto/return-requests.dto.js';
import { RETURN_ACCEPTED_SCHEMA, RETURN_PAGE_SCHEMA, RETURN_SCHEMA } from './return-schemas.js';

const NOT_FOUND = 'No such return (RETURN_NOT_FOUND); a platform sees its own returns only.';

/**
 * Returns (RMAs): platforms ask for and follow their own, reviewers decide, the warehouse receives
 * and inspects the goods. Served by the returns service.
 */
@ApiTags('returns')
@Controller('v1/returns')
export class ReturnRequestsController {
  constructor(private readonly upstream: UpstreamClient) {}

  @Post()
  @HttpCode(HttpStatus.ACCEPTED)
  @Authorize({ platforms: true })
  @Idempotent({ required: true })
  @ForwardedResponses()
  @ApiOperation({
    summary: 'Ask for a return of delivered goods',
    description:
      "Checked against the platform's return policy and what the order shipped: within the window after delivery, " +
      'no more units than shipped less what earlier returns of the order took back, returnable SKUs only. ' +
      'Approved at once, or `requested` while it waits for a reviewer (a reason or a worth the policy names). ' +
      'Its progress is visible with GET /v1/returns/{id} and through webhooks.',
  })
  @ApiAcceptedResponse({ description: 'Accepted, with its RMA number.', schema: RETURN_ACCEPTED_SCHEMA })
  @ApiNotFoundResponse({ description: 'No such order of this platform (RETURN_ORDER_NOT_FOUND).', type: ProblemDto })
  @ApiUnprocessableEntityResponse({
    description: 'Refused by the policy (RETURN_WINDOW_CLOSED, RETURN_QUANTITY_EXCEEDED, SKU_NOT_RETURNABLE), a quantity too large (AMOUNT_OUT_OF_RANGE), or IDEMPOTENCY_KEY_REUSED.',
    type: ProblemDto,
  })
  request(@Body() _return: RequestReturnDto, @AuthenticatedCaller() caller: Caller, @Req() req: Request): Promise<Reply> {
    return this.upstream.forward('returns', forwardedRequest(req, caller, { body: true }));
  }

  @Get()
  @Authorize({ platforms: true, roles: ['reviewer', 'warehouse', 'ops'] })
  @ForwardedResponses()
  @ApiOperation({
    summary: 'List returns',
    description: 'Newest first, a page at a time; a platform lists its own returns only. `status=requested` is the review queue (with `overdue` past the 24 h after-sales answer time).',
  })
  @ApiOkResponse({ description: 'A page of returns.', schema: RETURN_PAGE_SCHEMA })
  list(@Query() _query: ListReturnsQuery, @AuthenticatedCaller() caller: Caller, @Req() req: Request): Promise<Reply> {
    return this.upstream.forward('returns', forwardedRequest(req, caller, { query: true }));
  }

  @Get(':id')
  @Authorize({ platforms: true, roles: ['reviewer', 'warehouse', 'ops'] })
  @ForwardedResponses()
  @ApiOperation({ summary: 'Get a return', description: "A platform sees its own returns only; another platform's return is not found." })
  @ApiOkResponse({ description: 'The return.', schema: RETURN_SCHEMA })
  @ApiNotFoundResponse({ description: NOT_FOUND, type: ProblemDto })
  get(@Param() _params: ReturnIdParams, @AuthenticatedCaller() caller: Caller, @Req() req: Request): Promise<Reply> {
    return this.upstream.forward('returns', forwardedRequest(req, caller));
  }

  @Post(':id/cancel')
  @HttpCode(HttpStatus.OK)
  @Authorize({ platforms: true, roles: ['reviewer', 'ops'] })
  @Idempotent()
  @ForwardedResponses()
  @ApiOperation({
    summary: 'Cancel a return',
    description:
      'Allowed until its goods arrive at the warehouse. An approved return stays `approved` (its `statusReason` says it is being cancelled) ' +
      'until the warehouse that expects the goods has been told, then becomes `cancelled`; cancelling a cancelled return answers it as it is.',
  })
  @ApiOkResponse({ description: 'The return, cancelled or being cancelled.', schema: RETURN_SCHEMA })
  @ApiNotFoundResponse({ description: NOT_FOUND, type: ProblemDto })
  @ApiConflictResponse({
    description: 'RETURN_NOT_CANCELLABLE (the goods have arrived, or the return is closed), or IDEMPOTENCY_KEY_IN_USE (a request with this key is still being processed).',
    type: ProblemDto,
  })
  @ApiUnprocessableEntityResponse({ description: 'IDEMPOTENCY_KEY_REUSED.', type: ProblemDto })
  cancel(@Param() _params: ReturnIdParams, @Body() _body: CancelReturnDto, @AuthenticatedCaller() caller: Caller, @Req() req: Request): Promise<Reply> {
    return this.upstream.forward('returns', forwardedRequest(req, caller, { body: true }));
  }

  @Post(':id/review')
  @HttpCode(HttpStatus.OK)
  @Authorize({ roles: ['reviewer'] })
  @Idempotent()
  @ForwardedResponses()
  @ApiOperation({ summary: 'Approve or reject a return waiting for review' })
  @ApiOkResponse({ description: 'The return after the decision.', schema: RETURN_SCHEMA })
  @ApiNotFoundResponse({ description: NOT_FOUND, type: ProblemDto })
  @ApiConflictResponse({
    description: 'RETURN_NOT_AWAITING_REVIEW (decided already, or never needed a review), or IDEMPOTENCY_KEY_IN_USE (a request with this key is still being processed).',
    type: ProblemDto,
  })
  @ApiUnprocessableEntityResponse({ description: 'IDEMPOTENCY_KEY_REUSED.', type: ProblemDto })
  review(@Param() _params: ReturnIdParams, @Body() _decision: ReviewReturnDto, @AuthenticatedCaller() caller: Caller, @Req() req: Request): Promise<Reply> {
    return this.upstream.forward('returns', forwardedRequest(req, caller, { body: true }));
  }

  @Post(':id/receive')
  @HttpCode(HttpStatus.ACCEPTED)
  @Authorize({ roles: ['warehouse'] })
  @Idempotent({ required: true })
  @ForwardedResponses()
  @ApiOperation({
    summary: "Record that a return's goods arrived",
    description: 'The inbound receipt of an approved return: what arrived (all its units when `lines` is omitted). Inspection follows.',
  })
  @ApiAcceptedResponse({ description: 'Recorded; the return moves on.', schema: RETURN_SCHEMA })
  @ApiNotFoundResponse({ description: NOT_FOUND, type: ProblemDto })
  @ApiConflictResponse({
    description: 'RETURN_NOT_RECEIVABLE (not approved, or a receipt of other quantities is on its way), or IDEMPOTENCY_KEY_IN_USE.',
    type: ProblemDto,
  })
  @ApiUnprocessableEntityResponse({ description: 'RETURN_QUANTITY_EXCEEDED (more than the return lists), AMOUNT_OUT_OF_RANGE, or IDEMPOTENCY_KEY_REUSED.', type: ProblemDto })
  receive(@Param() _params: ReturnIdParams, @Body() _receipt: ReceiveReturnDto, @AuthenticatedCaller() caller: Caller, @Req() req: Request): Promise<Reply> {
    return this.upstream.forward('returns', forwardedRequest(req, caller, { body: true }));
  }

  @Post(':id/inspect')
  @HttpCode(HttpStatus.ACCEPTED)
  @Authorize({ roles: ['warehouse'] })
  @Idempotent({ required: true })
  @ForwardedResponses()
  @ApiOperation({
    summary: "Grade a return's received units",
    description:
      'A: sellable, back on hand and available; B: damaged, quarantined (on hand, never available); C: scrap, written off. ' +
      'Then the refund (grade C at the scrap share of the policy) or the exchange follows.',
  })
  @ApiAcceptedResponse({ description: 'Recorded; the return moves on.', schema: RETURN_SCHEMA })
  @ApiNotFoundResponse({ description: NOT_FOUND, type: ProblemDto })
  @ApiConflictResponse({
    description: 'RETURN_NOT_INSPECTABLE (not received, or an inspection with other grades is on its way), or IDEMPOTENCY_KEY_IN_USE.',
    type: ProblemDto,
  })
  @ApiUnprocessableEntityResponse({
    description: 'RETURN_INSPECTION_MISMATCH (the graded units do not add up to the received ones), AMOUNT_OUT_OF_RANGE, or IDEMPOTENCY_KEY_REUSED.',
    type: ProblemDto,
  })
  inspect(@Param() _params: ReturnIdParams, @Body() _inspection: InspectReturnDto, @AuthenticatedCaller() caller: Caller, @Req() req: Request): Promise<Reply> {
    return this.upstream.forward('returns', forwardedRequest(req, caller, { body: true }));
  }
}
