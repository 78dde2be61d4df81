import { Body, Controller, Get, HttpCode, HttpStatus, NotFoundException, ConflictException, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { DeadLetterDetail, DeadLetterReplay, DeadLetterView, ServiceDeadLetters } from '@skald/contracts';
import { DeadLetters } from '@skald/messaging';
import { ApiProblems } from '../http/api-problems.js';
import { Access, CurrentCaller, type Caller } from '../http/caller.js';
import {
  DeadLetterDetailDto,
  DeadLetterIdParams,
  DeadLetterReplayDto,
  DeadLetterViewDto,
  DiscardDeadLetterBody,
  ListDeadLettersQuery,
  ReplayDeadLettersBody,
  ServiceDeadLettersDto,
} from './dead-letter.dto.js';

const NOT_FOUND = { 404: 'No dead letter with this message id (DEAD_LETTER_NOT_FOUND)' };
const NOT_IN_QUEUE = { 409: 'Known, but no longer in the dead-letter queue: replayed or discarded already (DEAD_LETTER_NOT_IN_QUEUE)' };

/** This service's dead letters, for on-call through the gateway (staff with role ops). */
@ApiTags('dead-letters')
@Controller('internal/dead-letters')
export class DeadLettersController {
  constructor(private readonly deadLetters: DeadLetters) {}

  @Get()
  @Access({ roles: ['ops'] })
  @ApiOperation({ summary: "List this service's dead letters (a saga's, or those still dead) and the queue's depth" })
  @ApiOkResponse({ type: ServiceDeadLettersDto })
  @ApiProblems([400, 401, 403])
  list(@Query() query: ListDeadLettersQuery): Promise<ServiceDeadLetters> {
    return this.deadLetters.list(query);
  }

  @Post('replay')
  @HttpCode(HttpStatus.OK)
  @Access({ roles: ['ops'] })
  @ApiOperation({ summary: 'Replay every dead letter of a correlation id, each once' })
  @ApiOkResponse({ type: DeadLetterReplayDto })
  @ApiProblems([400, 401, 403])
  replayFor(@Body() body: ReplayDeadLettersBody, @CurrentCaller() caller: Caller): Promise<DeadLetterReplay> {
    return this.deadLetters.replay({ correlationId: body.correlationId }, { principal: caller.principalId });
  }

  @Get(':messageId')
  @Access({ roles: ['ops'] })
  @ApiOperation({ summary: 'Read a dead letter, with its headers and body while it is in the queue' })
  @ApiOkResponse({ type: DeadLetterDetailDto })
  @ApiProblems([400, 401, 403, 404], NOT_FOUND)
  async show(@Param() { messageId }: DeadLetterIdParams): Promise<DeadLetterDetail> {
    return (await this.deadLetters.show(messageId)) ?? notFound(messageId);
  }

  @Post(':messageId/replay')
  @HttpCode(HttpStatus.OK)
  @Access({ roles: ['ops'] })
  @ApiOperation({ summary: "Replay a dead letter into the service's queue (original message id and headers, attempt 1)" })
  @ApiOkResponse({ type: DeadLetterReplayDto })
  @ApiProblems([400, 401, 403, 404, 409], { ...NOT_FOUND, ...NOT_IN_QUEUE })
  async replay(@Param() { messageId }: DeadLetterIdParams, @CurrentCaller() caller: Caller): Promise<DeadLetterReplay> {
    const done = await this.deadLetters.replay({ messageIds: [messageId] }, { principal: caller.principalId });
    if (done.replayed.length === 0) await this.notInQueue(messageId);
    return done;
  }

  @Post(':messageId/discard')
  @HttpCode(HttpStatus.OK)
  @Access({ roles: ['ops'] })
  @ApiOperation({ summary: 'Drop a dead letter from the queue, recording who and why' })
  @ApiOkResponse({ type: DeadLetterViewDto })
  @ApiProblems([400, 401, 403, 404, 409], { ...NOT_FOUND, ...NOT_IN_QUEUE })
  async discard(@Param() { messageId }: DeadLetterIdParams, @Body() body: DiscardDeadLetterBody, @CurrentCaller() caller: Caller): Promise<DeadLetterView> {
    const discarded = await this.deadLetters.discard(messageId, { principal: caller.principalId, reason: body.reason.trim() });
    return discarded ?? this.notInQueue(messageId);
  }

  /** Not in the queue: 409 when the service knows the id (acted on already), else 404. */
  private async notInQueue(messageId: string): Promise<never> {
    const [record] = await this.deadLetters.records.byIds([messageId]);
    if (!record) notFound(messageId);
    throw new ConflictException({ code: 'DEAD_LETTER_NOT_IN_QUEUE', detail: `Dead letter ${messageId} is no longer in the queue (${record.status}).` });
  }
}

function notFound(messageId: string): never {
  throw new NotFoundException({ code: 'DEAD_LETTER_NOT_FOUND', detail: `No dead letter ${messageId} in this service.` });
}
