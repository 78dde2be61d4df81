import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query, Req } from '@nestjs/common';
import { ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CORRELATION_HEADER, DeadLetterDetailDto, DeadLetterViewDto, ProblemDto, type Caller } from '@skald/service-kit';
import type { Request } from 'express';
import { AuthenticatedCaller, Authorize } from '../api-keys/authorize.decorator.js';
import { ForwardedResponses } from '../http/api-responses.js';
import { Idempotent } from '../idempotency/idempotent.decorator.js';
import type { Reply } from '../http/reply.js';
import { DeadLettersService, type OnCallRequest } from './dead-letters.service.js';
import {
  DeadLetterMessageIdParams,
  DeadLetterReplaysDto,
  DeadLetterServiceQuery,
  DeadLettersOverviewDto,
  DiscardBody,
  ListDeadLettersQuery,
  ReplaySagaBody,
} from './dto/dead-letters.dto.js';

const NOT_FOUND = 'No service has a dead letter with this message id (DEAD_LETTER_NOT_FOUND).';
const AMBIGUOUS = 'DEAD_LETTER_AMBIGUOUS: an event dead in several services (their names in `services`); name one with ?service=.';

const KEY_IN_USE = 'or a request with this Idempotency-Key is still being processed (IDEMPOTENCY_KEY_IN_USE)';

const onCall = (caller: Caller, req: Request): OnCallRequest => ({ caller, correlationId: String(req.headers[CORRELATION_HEADER]) });

/**
 * Dead letters for on-call, across the services: what failed and why, replayed (with the original
 * message id, so the inbox keeps effects single) or discarded, each action recorded with who did
 * it, when and why by the service that holds the message.
 */
@ApiTags('dead-letters')
@Controller('v1/dead-letters')
export class DeadLettersController {
  constructor(private readonly deadLetters: DeadLettersService) {}

  @Get()
  @Authorize({ roles: ['ops'] })
  @ForwardedResponses()
  @ApiOperation({
    summary: 'List dead letters across the services',
    description: "Every service's (or one's) dead letters still dead, newest first, with each queue's depth; with `saga`, that saga's whatever became of them. A service that does not answer is listed as unavailable.",
  })
  @ApiOkResponse({ type: DeadLettersOverviewDto })
  @ApiNotFoundResponse({ description: 'No return with this RMA number (SAGA_NOT_FOUND).', type: ProblemDto })
  list(@Query() query: ListDeadLettersQuery, @AuthenticatedCaller() caller: Caller, @Req() req: Request): Promise<DeadLettersOverviewDto> {
    return this.deadLetters.list(onCall(caller, req), query);
  }

  @Post('replay')
  @HttpCode(HttpStatus.OK)
  @Authorize({ roles: ['ops'] })
  @Idempotent()
  @ForwardedResponses()
  @ApiOperation({ summary: "Replay a saga's dead letters", description: 'In every service, each message once in the run (one that fails again stays dead).' })
  @ApiOkResponse({ type: DeadLetterReplaysDto })
  @ApiNotFoundResponse({ description: 'No return with this RMA number (SAGA_NOT_FOUND).', type: ProblemDto })
  replaySaga(@Body() body: ReplaySagaBody, @AuthenticatedCaller() caller: Caller, @Req() req: Request): Promise<DeadLetterReplaysDto> {
    return this.deadLetters.replaySaga(onCall(caller, req), body.saga);
  }

  @Get(':messageId')
  @Authorize({ roles: ['ops'] })
  @ForwardedResponses()
  @ApiOperation({ summary: 'Read a dead letter', description: 'From the service that has it: its record, and its headers and body while it is in the queue (secret fields redacted).' })
  @ApiOkResponse({ type: DeadLetterDetailDto })
  @ApiNotFoundResponse({ description: NOT_FOUND, type: ProblemDto })
  @ApiConflictResponse({ description: AMBIGUOUS, type: ProblemDto })
  show(@Param() { messageId }: DeadLetterMessageIdParams, @Query() query: DeadLetterServiceQuery, @AuthenticatedCaller() caller: Caller, @Req() req: Request): Promise<Reply> {
    return this.deadLetters.show(onCall(caller, req), messageId, query.service);
  }

  @Post(':messageId/replay')
  @HttpCode(HttpStatus.OK)
  @Authorize({ roles: ['ops'] })
  @Idempotent()
  @ForwardedResponses()
  @ApiOperation({
    summary: 'Replay a dead letter',
    description: "Into the queue of the service that has it (of each, for an event dead in several), with its original message id and headers and a fresh attempt count.",
  })
  @ApiOkResponse({ type: DeadLetterReplaysDto })
  @ApiNotFoundResponse({ description: NOT_FOUND, type: ProblemDto })
  @ApiConflictResponse({ description: `No longer in the dead-letter queue: replayed or discarded already (DEAD_LETTER_NOT_IN_QUEUE); ${KEY_IN_USE}`, type: ProblemDto })
  replay(@Param() { messageId }: DeadLetterMessageIdParams, @Query() query: DeadLetterServiceQuery, @AuthenticatedCaller() caller: Caller, @Req() req: Request): Promise<DeadLetterReplaysDto | Reply> {
    return this.deadLetters.replay(onCall(caller, req), messageId, query.service);
  }

  @Post(':messageId/discard')
  @HttpCode(HttpStatus.OK)
  @Authorize({ roles: ['ops'] })
  @Idempotent()
  @ForwardedResponses()
  @ApiOperation({ summary: 'Discard a dead letter', description: 'Removes it from the dead-letter queue of the service that has it; who, when and why are recorded.' })
  @ApiOkResponse({ type: DeadLetterViewDto })
  @ApiNotFoundResponse({ description: NOT_FOUND, type: ProblemDto })
  @ApiConflictResponse({ description: `No longer in the dead-letter queue (DEAD_LETTER_NOT_IN_QUEUE); ${AMBIGUOUS}; ${KEY_IN_USE}`, type: ProblemDto })
  discard(
    @Param() { messageId }: DeadLetterMessageIdParams,
    @Query() query: DeadLetterServiceQuery,
    @Body() body: DiscardBody,
    @AuthenticatedCaller() caller: Caller,
    @Req() req: Request,
  ): Promise<Reply> {
    return this.deadLetters.discard(onCall(caller, req), messageId, body.reason.trim(), query.service);
  }
}
