import { Body, Controller, Param, Put, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import type { Caller } from '@skald/service-kit';
import type { Request } from 'express';
import { AuthenticatedCaller, Authorize } from '../api-keys/authorize.decorator.js';
import { ForwardedResponses } from '../http/api-responses.js';
import { ProblemDto } from '@skald/service-kit';
import type { Reply } from '../http/reply.js';
import { CATALOG_ITEM_SCHEMA } from '../http/upstream-schemas.js';
import { Idempotent } from '../idempotency/idempotent.decorator.js';
import { forwardedRequest } from '../upstream/forwarded-request.js';
import { UpstreamClient } from '../upstream/upstream-client.js';
import { CatalogItemDto, SkuParams } from './dto/inventory.dto.js';

/** The catalog: what may be sold and returned, at which list price. Served by the inventory service. */
@ApiTags('catalog')
@Controller('v1/catalog')
export class CatalogController {
  constructor(private readonly upstream: UpstreamClient) {}

  @Put(':sku')
  @Authorize({ roles: ['inventory'] })
  @Idempotent()
  @ForwardedResponses()
  @ApiOperation({ summary: 'Create or replace a catalog item' })
  @ApiOkResponse({
    description: 'The catalog item.',
    schema: CATALOG_ITEM_SCHEMA,
  })
  @ApiUnprocessableEntityResponse({ description: 'Refused by the inventory service (its own code), or IDEMPOTENCY_KEY_REUSED.', type: ProblemDto })
  put(@Param() _params: SkuParams, @Body() _item: CatalogItemDto, @AuthenticatedCaller() caller: Caller, @Req() req: Request): Promise<Reply> {
    return this.upstream.forward('inventory', forwardedRequest(req, caller, { body: true }));
  }
}
