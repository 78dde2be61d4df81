import { Body, Controller, Get, Param, Post, Put, Query, Req } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
  type SchemaObject,
} from '@nestjs/swagger';
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
import { LedgerQuery, LowStockThresholdDto, SkuParams, SkuWarehouseParams, StockReceiptDto } from './dto/inventory.dto.js';

const integer: SchemaObject = { type: 'integer' };

/** The inventory service's answer to a threshold setting (it may add fields, hence additionalProperties). */
const LOW_STOCK_THRESHOLD_SCHEMA: SchemaObject = {
  type: 'object',
  description: 'The threshold as set, with the stock it was compared with.',
  properties: {
    sku: { type: 'string' },
    warehouse: { type: 'string' },
    threshold: integer,
    onHand: integer,
    reserved: integer,
    quarantined: integer,
    available: { ...integer, description: 'onHand - reserved - quarantined' },
    alerted: { type: 'boolean', description: 'Whether setting it raised a low-stock alert (available already below it, and not below the previous threshold).' },
  },
  required: ['sku', 'warehouse', 'threshold', 'onHand', 'reserved', 'quarantined', 'available', 'alerted'],
  additionalProperties: true,
};

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
  @ApiOperation({
    summary: 'Get the stock of a SKU',
    description: 'Per warehouse and in total: on hand, reserved, quarantined (damaged returns, never available) and available.',
  })
  @ApiOkResponse({ description: 'Stock per warehouse.', schema: STOCK_SCHEMA })
  @ApiNotFoundResponse({ description: 'No such SKU.', type: ProblemDto })
  get(@Param() _params: SkuParams, @AuthenticatedCaller() caller: Caller, @Req() req: Request): Promise<Reply> {
    return this.upstream.forward('inventory', forwardedRequest(req, caller));
  }

  @Get(':sku/ledger')
  @Authorize({ roles: ['inventory', 'warehouse', 'ops', 'reviewer'] })
  @ForwardedResponses()
  @ApiOperation({ summary: 'Get the stock movements of a SKU', description: 'Receipts, reservations, releases, shipments and returned goods by grade, oldest first.' })
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

  @Put(':sku/warehouses/:warehouse/low-stock-threshold')
  @Authorize({ roles: ['inventory', 'warehouse'] })
  @Idempotent()
  @ForwardedResponses()
  @ApiOperation({
    summary: 'Set the low-stock threshold of a SKU in a warehouse',
    description:
      'A low-stock alert (inventory.stock.low) is raised when a stock movement takes available stock from at least the threshold to below it, ' +
      'and once when the threshold is set above what is available now.',
  })
  @ApiOkResponse({ description: 'The threshold was set.', schema: LOW_STOCK_THRESHOLD_SCHEMA })
  @ApiNotFoundResponse({ description: 'No such SKU (SKU_UNKNOWN) or warehouse (WAREHOUSE_UNKNOWN).', type: ProblemDto })
  @ApiUnprocessableEntityResponse({ description: 'Refused by the inventory service (its own code), or IDEMPOTENCY_KEY_REUSED.', type: ProblemDto })
  setLowStockThreshold(
    @Param() _params: SkuWarehouseParams,
    @Body() _threshold: LowStockThresholdDto,
    @AuthenticatedCaller() caller: Caller,
    @Req() req: Request,
  ): Promise<Reply> {
    return this.upstream.forward('inventory', forwardedRequest(req, caller, { body: true }));
  }
}
