import { Controller, Get, Query, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Caller } from '@skald/service-kit';
import type { Request } from 'express';
import { AuthenticatedCaller, Authorize } from '../api-keys/authorize.decorator.js';
import { ForwardedResponses } from '../http/api-responses.js';
import type { Reply } from '../http/reply.js';
import { forwardedRequest } from '../upstream/forwarded-request.js';
import { UpstreamClient } from '../upstream/upstream-client.js';
import { DELIVERY_PAGE_SCHEMA } from './delivery-schemas.js';
import { ListDeliveriesQuery } from './dto/list-deliveries.query.js';

/** What the platform's customers and webhook receivers were sent, and how it went. Served by the notifications service. */
@ApiTags('deliveries')
@Controller('v1/deliveries')
export class DeliveriesController {
  constructor(private readonly upstream: UpstreamClient) {}

  @Get()
  @Authorize({ roles: ['ops'] })
  @ForwardedResponses()
  @ApiOperation({
    summary: 'Deliveries (e-mail, SMS, webhook) with their attempts, newest first',
    description: 'Staff (ops). Filter by order, channel and status; page with nextCursor. A `failed` delivery stays failed.',
  })
  @ApiOkResponse({ description: 'A page of deliveries.', schema: DELIVERY_PAGE_SCHEMA })
  list(@Query() _query: ListDeliveriesQuery, @AuthenticatedCaller() caller: Caller, @Req() req: Request): Promise<Reply> {
    return this.upstream.forward('notifications', forwardedRequest(req, caller, { query: true }));
  }
}
