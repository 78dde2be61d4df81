import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, ApiProblems, IdempotencyOf, IdempotentRequests, type IdempotentCall } from '@skald/service-kit';
import { DataSource } from 'typeorm';
import { ListOutboundNotesQuery, OutboundNoteIdParams, ShipOutboundNoteBody } from './dto/outbound-note-requests.dto.js';
import { OutboundNoteDto, OutboundNoteListDto, toOutboundNoteDto, toOutboundNoteListDto } from './dto/outbound-note.dto.js';
import type { OutboundNoteProgressStep } from './outbound-note-status.js';
import { OutboundNotesService } from './outbound-notes.service.js';

const NOT_FOUND = { 404: 'No such outbound note (OUTBOUND_NOTE_NOT_FOUND)' };
const CONFLICT = { 409: 'The note is not in the status this step starts from (NOTE_STATUS_CONFLICT; currentStatus says where it is)' };

/** The warehouse operator's view of outbound notes: list, read, confirm → pick → pack → ship. */
@ApiTags('outbound-notes')
@Controller('v1/outbound-notes')
export class OutboundNotesController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly idempotent: IdempotentRequests,
    private readonly notes: OutboundNotesService,
  ) {}

  @Get()
  @Access({ roles: ['warehouse', 'ops'] })
  @ApiOperation({ summary: 'List outbound notes, oldest first, with cursor pagination' })
  @ApiOkResponse({ type: OutboundNoteListDto })
  @ApiProblems([400, 401, 403], { 400: 'Invalid filter or cursor (VALIDATION_FAILED, INVALID_CURSOR)' })
  async list(@Query() query: ListOutboundNotesQuery): Promise<OutboundNoteListDto> {
    const { cursor, limit, ...filter } = query;
    return toOutboundNoteListDto(await this.notes.list(this.dataSource.manager, filter, { cursor, limit }));
  }

  @Get(':id')
  @Access({ roles: ['warehouse', 'ops'] })
  @ApiOperation({ summary: 'Read an outbound note' })
  @ApiOkResponse({ type: OutboundNoteDto })
  @ApiProblems([400, 401, 403, 404], NOT_FOUND)
  async get(@Param() params: OutboundNoteIdParams): Promise<OutboundNoteDto> {
    return toOutboundNoteDto(await this.notes.get(this.dataSource.manager, params.id));
  }

  @Post(':id/confirm')
  @HttpCode(200)
  @Access({ roles: ['warehouse'] })
  @ApiOperation({ summary: 'Confirm a created note (created → confirmed)' })
  @ApiOkResponse({ type: OutboundNoteDto })
  @ApiProblems([400, 401, 403, 404, 409], { ...NOT_FOUND, ...CONFLICT })
  confirm(@Param() params: OutboundNoteIdParams, @IdempotencyOf() call: IdempotentCall): Promise<OutboundNoteDto> {
    return this.progress(call, params.id, 'confirm');
  }

  @Post(':id/pick')
  @HttpCode(200)
  @Access({ roles: ['warehouse'] })
  @ApiOperation({ summary: 'Start picking a confirmed note (confirmed → picking)' })
  @ApiOkResponse({ type: OutboundNoteDto })
  @ApiProblems([400, 401, 403, 404, 409], { ...NOT_FOUND, ...CONFLICT })
  pick(@Param() params: OutboundNoteIdParams, @IdempotencyOf() call: IdempotentCall): Promise<OutboundNoteDto> {
    return this.progress(call, params.id, 'pick');
  }

  @Post(':id/pack')
  @HttpCode(200)
  @Access({ roles: ['warehouse'] })
  @ApiOperation({ summary: 'Pack a picked note (picking → packed)' })
  @ApiOkResponse({ type: OutboundNoteDto })
  @ApiProblems([400, 401, 403, 404, 409], { ...NOT_FOUND, ...CONFLICT })
  pack(@Param() params: OutboundNoteIdParams, @IdempotencyOf() call: IdempotentCall): Promise<OutboundNoteDto> {
    return this.progress(call, params.id, 'pack');
  }

  @Post(':id/ship')
  @HttpCode(200)
  @Access({ roles: ['warehouse'] })
  @ApiOperation({ summary: 'Ship a packed note with a carrier and tracking number (packed → shipped)' })
  @ApiOkResponse({ type: OutboundNoteDto })
  @ApiProblems([400, 401, 403, 404, 409], { ...NOT_FOUND, ...CONFLICT })
  ship(@Param() params: OutboundNoteIdParams, @Body() body: ShipOutboundNoteBody, @IdempotencyOf() call: IdempotentCall): Promise<OutboundNoteDto> {
    return this.idempotent.transaction(call, async (manager) => toOutboundNoteDto(await this.notes.ship(manager, params.id, body)));
  }

  private progress(call: IdempotentCall, id: string, step: OutboundNoteProgressStep): Promise<OutboundNoteDto> {
    return this.idempotent.transaction(call, async (manager) => toOutboundNoteDto(await this.notes.progress(manager, id, step)));
  }
}
