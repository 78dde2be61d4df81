import { Body, Controller, Get, HttpCode, HttpStatus, Param, Patch, Post, Query, Req } from '@nestjs/common';
import { ApiAcceptedResponse, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import type { Caller } from '@skald/service-kit';
import type { Request } from 'express';
import { AuthenticatedCaller, Authorize } from '../api-keys/authorize.decorator.js';
import { ForwardedResponses } from '../http/api-responses.js';
import { ProblemDto } from '@skald/service-kit';
import type { Reply } from '../http/reply.js';
import { CANCELLATION_ACCEPTED_SCHEMA, ORDER_PAGE_SCHEMA, ORDER_SCHEMA } from '../http/upstream-schemas.js';
import { Idempotent } from '../idempotency/idempotent.decorator.js';
import { forwardedRequest } from '../upstream/forwarded-request.js';
import { UpstreamClient } from '../upstream/upstream-client.js';
import { ListOrdersQuery, OrderIdParams } from './dto/order-queries.dto.js';
import { CancelOrderDto, ModifyOrderDto } from './dto/order-commands.dto.js';
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

  @Post(':id/cancel')
  @HttpCode(HttpStatus.ACCEPTED)
  @Authorize({ platforms: true, roles: ['ops'] })
  @Idempotent()
  @ForwardedResponses()
  @ApiOperation({
    summary: 'Cancel an order',
    description:
      'Allowed until it ships. Undoes what was done in reverse order: outbound notes are cancelled (picked goods go back to stock), reservations released, a paid order gets a refund instruction (webhook order.refund_requested), and the customer is told. The order becomes `cancelled` when that is done.',
  })
  @ApiAcceptedResponse({ description: 'The cancellation is done or under way.', schema: CANCELLATION_ACCEPTED_SCHEMA })
  @ApiNotFoundResponse({ description: 'No such order (for this platform).', type: ProblemDto })
  @ApiConflictResponse({ description: 'ORDER_SHIPPED (it has shipped: a return is the way) or ORDER_CLOSED (cancelled or rejected already).', type: ProblemDto })
  cancel(@Param() _params: OrderIdParams, @Body() _body: CancelOrderDto, @AuthenticatedCaller() caller: Caller, @Req() req: Request): Promise<Reply> {
    return this.upstream.forward('orders', forwardedRequest(req, caller, { body: true }));
  }

  @Patch(':id')
  @HttpCode(HttpStatus.ACCEPTED)
  @Authorize({ platforms: true, roles: ['ops'] })
  @Idempotent()
  @ForwardedResponses()
  @ApiOperation({
    summary: 'Change an order before it is locked',
    description: 'Lines, quantities and the shipping address may change while the order is `received` or `on_hold`; it is then reviewed again. Once approved: 409 ORDER_LOCKED.',
  })
  @ApiAcceptedResponse({ description: 'Changed; reviewed again.', type: OrderAcceptedDto })
  @ApiNotFoundResponse({ description: 'No such order (for this platform).', type: ProblemDto })
  @ApiConflictResponse({ description: 'ORDER_LOCKED: the order was approved already (cancel it instead).', type: ProblemDto })
  modify(@Param() _params: OrderIdParams, @Body() _body: ModifyOrderDto, @AuthenticatedCaller() caller: Caller, @Req() req: Request): Promise<Reply> {
    return this.upstream.forward('orders', forwardedRequest(req, caller, { body: true }));
  }
}
