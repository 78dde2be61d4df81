import { Controller, Get, Param, Query, Req } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CORRELATION_HEADER, ProblemDto, type Caller } from '@skald/service-kit';
import type { Request } from 'express';
import { AuthenticatedCaller, Authorize } from '../api-keys/authorize.decorator.js';
import { ListSagasQuery, SagaRefParams } from './dto/saga-queries.dto.js';
import { SAGA_PAGE_SCHEMA, SAGA_TIMELINE_SCHEMA } from './saga-schemas.js';
import { SagaTimelines, type SagaListView, type SagaTimelineView } from './saga-timelines.service.js';

/** On-call: where a saga is, what happened to it in every service, and which sagas need a look. */
@ApiTags('operations')
@Controller('v1/sagas')
export class SagasController {
  constructor(private readonly sagas: SagaTimelines) {}

  @Get(':ref')
  @Authorize({ roles: ['ops'] })
  @ApiOperation({
    summary: "A saga's timeline",
    description:
      "One time-ordered timeline from every service that touched the saga of an order or a return (by id or RMA number): the saga's step log, each service's handled and published messages (handler, attempts, duration, trace id), dead letters, notifications; ending with what the saga waits for now and its deadline (`pending`). A service that is down or slower than 2 s is listed in `gaps`. A return and its order are separate sagas: a return's timeline names its `orderId`.",
  })
  @ApiOkResponse({ description: 'The merged timeline.', schema: SAGA_TIMELINE_SCHEMA })
  @ApiBadRequestResponse({ description: 'Not an order or return id, nor an RMA number (VALIDATION_FAILED).', type: ProblemDto })
  @ApiNotFoundResponse({ description: 'No service knows the saga (SAGA_NOT_FOUND; `gaps` names the services that could not be asked).', type: ProblemDto })
  @ApiResponse({ status: 503, description: 'An RMA number, and the returns service cannot be asked to resolve it (UPSTREAM_UNAVAILABLE).', type: ProblemDto })
  timeline(@Param() params: SagaRefParams, @AuthenticatedCaller() caller: Caller, @Req() req: Request): Promise<SagaTimelineView> {
    return this.sagas.timeline(params.ref, caller, String(req.headers[CORRELATION_HEADER]));
  }

  @Get()
  @Authorize({ roles: ['ops'] })
  @ApiOperation({
    summary: 'Sagas that need a look',
    description:
      '`stuck` (past their deadline or marked stuck), `compensating` (undoing what they did) or `failed` (with dead letters), newest change first, a page at a time. Services that cannot be asked are listed in `gaps`.',
  })
  @ApiOkResponse({ description: 'A page of sagas.', schema: SAGA_PAGE_SCHEMA })
  @ApiBadRequestResponse({ description: 'Invalid query (VALIDATION_FAILED).', type: ProblemDto })
  list(@Query() query: ListSagasQuery, @AuthenticatedCaller() caller: Caller, @Req() req: Request): Promise<SagaListView> {
    return this.sagas.list(query, caller, String(req.headers[CORRELATION_HEADER]));
  }
}
