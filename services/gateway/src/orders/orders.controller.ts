import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query, Req } from '@nestjs/common';
import { ApiAcceptedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import type { Caller } from '@skald/service-kit';
import type { Request } from 'express';
import { AuthenticatedCaller, Authorize } from '../api-keys/authorize.decorator.js';
import { ForwardedResponses } from '../http/api-responses.js';
import { ProblemDto } from '@skald/service-kit';
import type { Reply } from '../http/reply.js';
import { ORDER_PAGE_SCHEMA, ORDER_SCHEMA } from '../http/upstream-schemas.js';
import { Idempotent } from '../idempotency/idempotent.decorator.js';
import { forwardedRequest } from '../upstream/forwarded-request.js';
import { UpstreamClient } from '../upstream/upstream-client.js';
import { ListOrdersQuery, OrderIdParams } from './dto/order-queries.dto.js';
import { OrderAcceptedDto, PlaceOrderDto } from './dto/place-order.dto.js';

/** Orders: placed by platforms, read by platforms (their own) and staff. Served by the orders service. */
@ApiTags('orders')
@Controller('v1/orders')
export class OrdersController {
  constructor(private readonly upstream: UpstreamClient) {}

  @Post()
  @HttpCode(HttpStatus.ACCEPTED)
  @Authorize({ platforms: true })
  @Idempotent()
  @ForwardedResponses()
  @ApiOperation({
    summary: 'Place an order',
    description: 'Accepts an order for review; its progress is visible with GET /v1/orders/{id} and through webhooks.',
  })
  @ApiAcceptedResponse({ description: 'Accepted for review.', type: OrderAcceptedDto })
  @ApiUnprocessableEntityResponse({
    description: 'Refused by the orders service (its own code), or IDEMPOTENCY_KEY_REUSED.',
    type: ProblemDto,
  })
  place(@Body() _order: PlaceOrderDto, @AuthenticatedCaller() caller: Caller, @Req() req: Request): Promise<Reply> {
    return this.upstream.forward('orders', forwardedRequest(req, caller, { body: true }));
  }

  @Get(':id')
  @Authorize({ platforms: true, roles: ['ops', 'reviewer'] })
  @ForwardedResponses()
  @ApiOperation({ summary: 'Get an order', description: "A platform sees its own orders only; another platform's order is not found." })
  @ApiOkResponse({ description: 'The order.', schema: ORDER_SCHEMA })
  @ApiNotFoundResponse({ description: 'No such order (for this platform).', type: ProblemDto })
  get(@Param() _params: OrderIdParams, @AuthenticatedCaller() caller: Caller, @Req() req: Request): Promise<Reply> {
    return this.upstream.forward('orders', forwardedRequest(req, caller));
  }

  @Get()
  @Authorize({ platforms: true, roles: ['ops', 'reviewer'] })
  @ForwardedResponses()
  @ApiOperation({ summary: 'List orders', description: "Newest first, a page at a time; a platform lists its own orders only." })
  @ApiOkResponse({ description: 'A page of orders.', schema: ORDER_PAGE_SCHEMA })
  list(@Query() _query: ListOrdersQuery, @AuthenticatedCaller() caller: Caller, @Req() req: Request): Promise<Reply> {
    return this.upstream.forward('orders', forwardedRequest(req, caller, { query: true }));
  }
}
