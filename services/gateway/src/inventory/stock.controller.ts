import { Body, Controller, Get, Param, Post, Query, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import type { Caller } from '@skald/service-kit';
import type { Request } from 'express';
import { AuthenticatedCaller, Authorize } from '../api-keys/authorize.decorator.js';
import { ForwardedResponses } from '../http/api-responses.js';
import { ProblemDto } from '@skald/service-kit';
import type { Reply } from '../http/reply.js';
import { LEDGER_PAGE_SCHEMA, RECEIPT_SCHEMA, STOCK_SCHEMA } from '../http/upstream-schemas.js';
import { Idempotent } from '../idempotency/idempotent.decorator.js';
import { forwardedRequest } from '../upstream/forwarded-request.js';
import { UpstreamClient } from '../upstream/upstream-client.js';
import { LedgerQuery, SkuParams, StockReceiptDto } from './dto/inventory.dto.js';

/** Stock per warehouse, its movements, and goods received. Served by the inventory service. */
@ApiTags('stock')
@Controller('v1/stock')
export class StockController {
  constructor(private readonly upstream: UpstreamClient) {}

  @Post('receipts')
  @Authorize({ roles: ['inventory', 'warehouse'] })
  @Idempotent()
  @ForwardedResponses()
  @ApiOperation({ summary: 'Receive goods into a warehouse', description: 'Send an Idempotency-Key: a repeated receipt would count the goods twice.' })
  @ApiCreatedResponse({ description: 'The receipt was booked.', schema: RECEIPT_SCHEMA })
  @ApiUnprocessableEntityResponse({ description: 'Refused by the inventory service (its own code), or IDEMPOTENCY_KEY_REUSED.', type: ProblemDto })
  receive(@Body() _receipt: StockReceiptDto, @AuthenticatedCaller() caller: Caller, @Req() req: Request): Promise<Reply> {
    return this.upstream.forward('inventory', forwardedRequest(req, caller, { body: true }));
  }

  @Get(':sku')
  @Authorize({ roles: ['inventory', 'warehouse', 'ops', 'reviewer'] })
  @ForwardedResponses()
  @ApiOperation({ summary: 'Get the stock of a SKU' })
  @ApiOkResponse({ description: 'Stock per warehouse.', schema: STOCK_SCHEMA })
  @ApiNotFoundResponse({ description: 'No such SKU.', type: ProblemDto })
  get(@Param() _params: SkuParams, @AuthenticatedCaller() caller: Caller, @Req() req: Request): Promise<Reply> {
    return this.upstream.forward('inventory', forwardedRequest(req, caller));
  }

  @Get(':sku/ledger')
  @Authorize({ roles: ['inventory', 'warehouse', 'ops', 'reviewer'] })
  @ForwardedResponses()
  @ApiOperation({ summary: 'Get the stock movements of a SKU', description: 'Receipts, reservations, releases and shipments, newest first.' })
  @ApiOkResponse({ description: 'Stock movements.', schema: LEDGER_PAGE_SCHEMA })
  @ApiNotFoundResponse({ description: 'No such SKU.', type: ProblemDto })
  ledger(
    @Param() _params: SkuParams,
    @Query() _query: LedgerQuery,
    @AuthenticatedCaller() caller: Caller,
    @Req() req: Request,
  ): Promise<Reply> {
    return this.upstream.forward('inventory', forwardedRequest(req, caller, { query: true }));
  }
}
