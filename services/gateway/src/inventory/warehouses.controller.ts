import { Body, Controller, Param, Put, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import type { Caller } from '@skald/service-kit';
import type { Request } from 'express';
import { AuthenticatedCaller, Authorize } from '../api-keys/authorize.decorator.js';
import { ForwardedResponses } from '../http/api-responses.js';
import { ProblemDto } from '@skald/service-kit';
import type { Reply } from '../http/reply.js';
import { WAREHOUSE_SCHEMA } from '../http/upstream-schemas.js';
import { Idempotent } from '../idempotency/idempotent.decorator.js';
import { forwardedRequest } from '../upstream/forwarded-request.js';
import { UpstreamClient } from '../upstream/upstream-client.js';
import { WarehouseCodeParams, WarehouseDto } from './dto/inventory.dto.js';

/** Warehouses as the inventory service sees them: where stock is, and in which order to reserve it. */
@ApiTags('warehouses')
@Controller('v1/warehouses')
export class WarehousesController {
  constructor(private readonly upstream: UpstreamClient) {}

  @Put(':code')
  @Authorize({ roles: ['inventory'] })
  @Idempotent()
  @ForwardedResponses()
  @ApiOperation({ summary: "Create or update a warehouse's reservation priority" })
  @ApiOkResponse({
    description: 'The warehouse.',
    schema: WAREHOUSE_SCHEMA,
  })
  @ApiUnprocessableEntityResponse({ description: 'Refused by the inventory service (its own code), or IDEMPOTENCY_KEY_REUSED.', type: ProblemDto })
  put(
    @Param() _params: WarehouseCodeParams,
    @Body() _warehouse: WarehouseDto,
    @AuthenticatedCaller() caller: Caller,
    @Req() req: Request,
  ): Promise<Reply> {
    return this.upstream.forward('inventory', forwardedRequest(req, caller, { body: true }));
  }
}
