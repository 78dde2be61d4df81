import { Body, Controller, HttpCode, HttpStatus, Param, Post, Req } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import type { Caller } from '@skald/service-kit';
import type { Request } from 'express';
import { AuthenticatedCaller, Authorize } from '../api-keys/authorize.decorator.js';
import { ForwardedResponses } from '../http/api-responses.js';
import { ProblemDto } from '@skald/service-kit';
import type { Reply } from '../http/reply.js';
import { DELIVERY_SCHEMA } from '../http/upstream-schemas.js';
import { Idempotent } from '../idempotency/idempotent.decorator.js';
import { forwardedRequest } from '../upstream/forwarded-request.js';
import { UpstreamClient } from '../upstream/upstream-client.js';
import { DeliveredDto, ShipmentIdParams } from './dto/warehouse.dto.js';

/** Shipments on their way to the customer. Served by the warehouse service. */
@ApiTags('shipments')
@Controller('v1/shipments')
export class ShipmentsController {
  constructor(private readonly upstream: UpstreamClient) {}

  @Post(':id/delivered')
  @HttpCode(HttpStatus.OK)
  @Authorize({ roles: ['warehouse', 'ops'] })
  @Idempotent()
  @ForwardedResponses()
  @ApiOperation({ summary: 'Record that a shipment was delivered' })
  @ApiOkResponse({
    description: 'The shipment.',
    schema: DELIVERY_SCHEMA,
  })
  @ApiNotFoundResponse({ description: 'No such shipment.', type: ProblemDto })
  @ApiUnprocessableEntityResponse({ description: 'Refused by the warehouse service (its own code), or IDEMPOTENCY_KEY_REUSED.', type: ProblemDto })
  delivered(
    @Param() _params: ShipmentIdParams,
    @Body() _delivery: DeliveredDto,
    @AuthenticatedCaller() caller: Caller,
    @Req() req: Request,
  ): Promise<Reply> {
    return this.upstream.forward('warehouse', forwardedRequest(req, caller, { body: true }));
  }
}
