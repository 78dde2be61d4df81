import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, CurrentCaller, type Caller } from '@skald/service-kit';
import { ListOrdersQuery, OrderPageView, OrderView } from './dto/order-view.dto.js';
import { OrderQueries } from './order-queries.service.js';

@ApiTags('orders')
@Controller('v1/orders')
export class OrdersController {
  constructor(private readonly queries: OrderQueries) {}

  @Get()
  @Access({ platforms: true, roles: ['ops', 'reviewer'] })
  @ApiOperation({ summary: 'List orders (cursor pagination, oldest first)' })
  @ApiOkResponse({ type: OrderPageView })
  list(@CurrentCaller() caller: Caller, @Query() query: ListOrdersQuery): Promise<OrderPageView> {
    return this.queries.list(caller, query);
  }

  @Get(':id')
  @Access({ platforms: true, roles: ['ops', 'reviewer'] })
  @ApiOperation({ summary: 'An order with its review, reservations, outbound notes, shipments and status history' })
  @ApiOkResponse({ type: OrderView })
  @ApiNotFoundResponse({ description: 'ORDER_NOT_FOUND' })
  get(@CurrentCaller() caller: Caller, @Param('id', new ParseUUIDPipe()) id: string): Promise<OrderView> {
    return this.queries.get(caller, id);
  }
}
