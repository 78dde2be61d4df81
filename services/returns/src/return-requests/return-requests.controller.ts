import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, ApiProblems, CurrentCaller, IdempotencyOf, IdempotentRequests, type Caller, type IdempotentCall } from '@skald/service-kit';
import {
  CancelReturnBody,
  InspectReturnBody,
  ListReturnsQuery,
  ReceiveReturnBody,
  RequestReturnBody,
  ReturnAcceptedView,
  ReturnIdParams,
  ReturnPageView,
  ReturnView,
  ReviewReturnBody,
} from './return-request.dto.js';
import { ReturnRequestsService } from './return-requests.service.js';

const NOT_FOUND = { 404: 'No such return of the caller (RETURN_NOT_FOUND)' };

/** Returns (RMAs): platforms ask for and follow their own; reviewers decide; anyone allowed cancels before receipt. */
@ApiTags('returns')
@Controller('v1/returns')
export class ReturnRequestsController {
  constructor(
    private readonly idempotent: IdempotentRequests,
    private readonly returns: ReturnRequestsService,
  ) {}

  @Post()
  @HttpCode(HttpStatus.ACCEPTED)
  @Access({ platforms: true })
  @ApiOperation({ summary: 'Ask for a return of delivered goods (checked against the platform policy)' })
  @ApiAcceptedResponse({ type: ReturnAcceptedView })
  @ApiProblems([400, 401, 403, 404, 422], {
    404: 'No such order of the platform (RETURN_ORDER_NOT_FOUND)',
    422: 'The policy refuses it (RETURN_WINDOW_CLOSED, RETURN_QUANTITY_EXCEEDED, SKU_NOT_RETURNABLE)',
  })
  request(@CurrentCaller() caller: Caller, @Body() body: RequestReturnBody, @IdempotencyOf() call: IdempotentCall): Promise<ReturnAcceptedView> {
    return this.idempotent.transaction(call, (manager) => this.returns.request(manager, caller, body));
  }

  @Get()
  @Access({ platforms: true, roles: ['reviewer', 'warehouse', 'ops', 'admin'] })
  @ApiOperation({ summary: 'List returns, newest first (platforms: their own; status=requested is the review queue)' })
  @ApiOkResponse({ type: ReturnPageView })
  @ApiProblems([400, 401, 403])
  list(@CurrentCaller() caller: Caller, @Query() query: ListReturnsQuery): Promise<ReturnPageView> {
    return this.returns.list(caller, query);
  }

  @Get(':id')
  @Access({ platforms: true, roles: ['reviewer', 'warehouse', 'ops', 'admin'] })
  @ApiOperation({ summary: 'Read a return' })
  @ApiOkResponse({ type: ReturnView })
  @ApiProblems([400, 401, 403, 404], NOT_FOUND)
  get(@CurrentCaller() caller: Caller, @Param() { id }: ReturnIdParams): Promise<ReturnView> {
    return this.returns.get(caller, id);
  }

  @Post(':id/review')
  @HttpCode(HttpStatus.OK)
  @Access({ roles: ['reviewer'] })
  @ApiOperation({ summary: 'Approve or reject a requested return' })
  @ApiOkResponse({ type: ReturnView })
  @ApiProblems([400, 401, 403, 404, 409], { ...NOT_FOUND, 409: 'Not waiting for a review (RETURN_NOT_AWAITING_REVIEW)' })
  review(@CurrentCaller() caller: Caller, @Param() { id }: ReturnIdParams, @Body() body: ReviewReturnBody, @IdempotencyOf() call: IdempotentCall): Promise<ReturnView> {
    return this.idempotent.transaction(call, (manager) => this.returns.review(manager, caller, id, body.decision, body.reason));
  }

  @Post(':id/cancel')
  @HttpCode(HttpStatus.OK)
  @Access({ platforms: true, roles: ['reviewer', 'ops'] })
  @ApiOperation({ summary: 'Cancel a return before its goods arrive' })
  @ApiOkResponse({ type: ReturnView })
  @ApiProblems([400, 401, 403, 404, 409], { ...NOT_FOUND, 409: 'The goods have arrived, or the return is closed (RETURN_NOT_CANCELLABLE)' })
  cancel(@CurrentCaller() caller: Caller, @Param() { id }: ReturnIdParams, @Body() body: CancelReturnBody, @IdempotencyOf() call: IdempotentCall): Promise<ReturnView> {
    return this.idempotent.transaction(call, (manager) => this.returns.cancel(manager, caller, id, body.reason));
  }

  @Post(':id/receive')
  @HttpCode(HttpStatus.ACCEPTED)
  @Access({ roles: ['warehouse'] })
  @ApiOperation({ summary: "Record the goods that arrived (default: all the return lists); the warehouse's receipt moves the return to received" })
  @ApiAcceptedResponse({ type: ReturnView })
  @ApiProblems([400, 401, 403, 404, 409, 422], {
    ...NOT_FOUND,
    409: 'Not approved, or a receipt of other quantities is on its way (RETURN_NOT_RECEIVABLE)',
    422: 'More than the return lists (RETURN_QUANTITY_EXCEEDED)',
  })
  receive(@CurrentCaller() caller: Caller, @Param() { id }: ReturnIdParams, @Body() body: ReceiveReturnBody, @IdempotencyOf() call: IdempotentCall): Promise<ReturnView> {
    return this.idempotent.transaction(call, (manager) => this.returns.receive(manager, caller, id, body.lines));
  }

  @Post(':id/inspect')
  @HttpCode(HttpStatus.ACCEPTED)
  @Access({ roles: ['warehouse'] })
  @ApiOperation({ summary: 'Grade the received goods (A sellable, B damaged, C scrap); then refund or exchange' })
  @ApiAcceptedResponse({ type: ReturnView })
  @ApiProblems([400, 401, 403, 404, 409, 422], {
    ...NOT_FOUND,
    409: 'Not received, or an inspection with other grades is on its way (RETURN_NOT_INSPECTABLE)',
    422: 'Graded units do not add up to the received ones (RETURN_INSPECTION_MISMATCH)',
  })
  inspect(@CurrentCaller() caller: Caller, @Param() { id }: ReturnIdParams, @Body() body: InspectReturnBody, @IdempotencyOf() call: IdempotentCall): Promise<ReturnView> {
    return this.idempotent.transaction(call, (manager) => this.returns.inspect(manager, caller, id, body.lines));
  }
}
