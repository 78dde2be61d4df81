import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query, Req } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import type { Caller } from '@skald/service-kit';
import type { Request } from 'express';
import { AuthenticatedCaller, Authorize } from '../api-keys/authorize.decorator.js';
import { ForwardedResponses } from '../http/api-responses.js';
import { ProblemDto } from '@skald/service-kit';
import type { Reply } from '../http/reply.js';
import { OUTBOUND_NOTE_PAGE_SCHEMA, OUTBOUND_NOTE_SCHEMA } from '../http/upstream-schemas.js';
import { Idempotent } from '../idempotency/idempotent.decorator.js';
import { forwardedRequest } from '../upstream/forwarded-request.js';
import { UpstreamClient } from '../upstream/upstream-client.js';
import { ListOutboundNotesQuery, OutboundNoteIdParams, ShipDto } from './dto/warehouse.dto.js';

const STEP_REFUSED = 'The note is not in a status that allows this step (warehouse service code), or IDEMPOTENCY_KEY_REUSED.';

/** Outbound notes and their steps: confirm, pick, pack, ship. Served by the warehouse service. */
@ApiTags('outbound-notes')
@Controller('v1/outbound-notes')
export class OutboundNotesController {
  constructor(private readonly upstream: UpstreamClient) {}

  @Get()
  @Authorize({ roles: ['warehouse', 'ops'] })
  @ForwardedResponses()
  @ApiOperation({ summary: 'List outbound notes' })
  @ApiOkResponse({ description: 'Outbound notes.', schema: OUTBOUND_NOTE_PAGE_SCHEMA })
  list(@Query() _query: ListOutboundNotesQuery, @AuthenticatedCaller() caller: Caller, @Req() req: Request): Promise<Reply> {
    return this.upstream.forward('warehouse', forwardedRequest(req, caller, { query: true }));
  }

  @Get(':id')
  @Authorize({ roles: ['warehouse', 'ops'] })
  @ForwardedResponses()
  @ApiOperation({ summary: 'Get an outbound note' })
  @ApiOkResponse({ description: 'The outbound note with its lines.', schema: OUTBOUND_NOTE_SCHEMA })
  @ApiNotFoundResponse({ description: 'No such outbound note.', type: ProblemDto })
  get(@Param() _params: OutboundNoteIdParams, @AuthenticatedCaller() caller: Caller, @Req() req: Request): Promise<Reply> {
    return this.upstream.forward('warehouse', forwardedRequest(req, caller));
  }

  @Post(':id/confirm')
  @HttpCode(HttpStatus.OK)
  @Authorize({ roles: ['warehouse'] })
  @Idempotent()
  @ForwardedResponses()
  @ApiOperation({ summary: 'Confirm an outbound note' })
  @ApiOkResponse({ description: 'The outbound note.', schema: OUTBOUND_NOTE_SCHEMA })
  @ApiNotFoundResponse({ description: 'No such outbound note.', type: ProblemDto })
  @ApiUnprocessableEntityResponse({ description: STEP_REFUSED, type: ProblemDto })
  confirm(@Param() _params: OutboundNoteIdParams, @AuthenticatedCaller() caller: Caller, @Req() req: Request): Promise<Reply> {
    return this.upstream.forward('warehouse', forwardedRequest(req, caller));
  }

  @Post(':id/pick')
  @HttpCode(HttpStatus.OK)
  @Authorize({ roles: ['warehouse'] })
  @Idempotent()
  @ForwardedResponses()
  @ApiOperation({ summary: 'Record that an outbound note was picked' })
  @ApiOkResponse({ description: 'The outbound note.', schema: OUTBOUND_NOTE_SCHEMA })
  @ApiNotFoundResponse({ description: 'No such outbound note.', type: ProblemDto })
  @ApiUnprocessableEntityResponse({ description: STEP_REFUSED, type: ProblemDto })
  pick(@Param() _params: OutboundNoteIdParams, @AuthenticatedCaller() caller: Caller, @Req() req: Request): Promise<Reply> {
    return this.upstream.forward('warehouse', forwardedRequest(req, caller));
  }

  @Post(':id/pack')
  @HttpCode(HttpStatus.OK)
  @Authorize({ roles: ['warehouse'] })
  @Idempotent()
  @ForwardedResponses()
  @ApiOperation({ summary: 'Record that an outbound note was packed' })
  @ApiOkResponse({ description: 'The outbound note.', schema: OUTBOUND_NOTE_SCHEMA })
  @ApiNotFoundResponse({ description: 'No such outbound note.', type: ProblemDto })
  @ApiUnprocessableEntityResponse({ description: STEP_REFUSED, type: ProblemDto })
  pack(@Param() _params: OutboundNoteIdParams, @AuthenticatedCaller() caller: Caller, @Req() req: Request): Promise<Reply> {
    return this.upstream.forward('warehouse', forwardedRequest(req, caller));
  }

  @Post(':id/ship')
  @HttpCode(HttpStatus.OK)
  @Authorize({ roles: ['warehouse'] })
  @Idempotent()
  @ForwardedResponses()
  @ApiOperation({ summary: 'Ship an outbound note', description: 'Consumes the reservation and the stock; the order learns carrier and tracking number.' })
  @ApiOkResponse({ description: 'The outbound note and its shipment.', schema: OUTBOUND_NOTE_SCHEMA })
  @ApiNotFoundResponse({ description: 'No such outbound note.', type: ProblemDto })
  @ApiUnprocessableEntityResponse({ description: STEP_REFUSED, type: ProblemDto })
  ship(
    @Param() _params: OutboundNoteIdParams,
    @Body() _shipment: ShipDto,
    @AuthenticatedCaller() caller: Caller,
    @Req() req: Request,
  ): Promise<Reply> {
    return this.upstream.forward('warehouse', forwardedRequest(req, caller, { body: true }));
  }
}
