import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, ApiProblems, IdempotencyOf, IdempotentRequests, STAFF_ROLES, type IdempotentCall } from '@skald/service-kit';
import { skuUnknown } from '../common/http-problems.js';
import { SkuParams } from '../common/sku.params.js';
import { CatalogService } from './catalog.service.js';
import { CatalogItemDto, UpsertCatalogItemDto } from './dto/catalog-item.dto.js';

@ApiTags('catalog')
@Controller('v1/catalog')
export class CatalogController {
  constructor(
    private readonly idempotent: IdempotentRequests,
    private readonly catalog: CatalogService,
  ) {}

  @Put(':sku')
  @Access({ roles: ['inventory'] })
  @ApiOperation({
    summary: 'Create or replace a catalog item',
    description: 'Publishes inventory.catalog-item.updated.v1 in the same transaction.',
  })
  @ApiOkResponse({ type: CatalogItemDto })
  @ApiProblems([400, 401, 403])
  upsert(@Param() { sku }: SkuParams, @Body() body: UpsertCatalogItemDto, @IdempotencyOf() call: IdempotentCall): Promise<CatalogItemDto> {
    return this.idempotent.transaction(call, async (manager) => CatalogItemDto.from(await this.catalog.upsert(manager, { sku, ...body })));
  }

  @Get(':sku')
  @Access({ platforms: true, roles: [...STAFF_ROLES] })
  @ApiOperation({ summary: 'Read a catalog item' })
  @ApiOkResponse({ type: CatalogItemDto })
  @ApiProblems([400, 401, 403, 404], { 404: 'Unknown SKU (SKU_UNKNOWN)', 422: 'Unknown SKUs (SKU_UNKNOWN, listed in skus); nothing stored' })
  async find(@Param() { sku }: SkuParams): Promise<CatalogItemDto> {
    const item = await this.catalog.find(sku);
    if (!item) throw skuUnknown(sku);
    return CatalogItemDto.from(item);
  }
}
