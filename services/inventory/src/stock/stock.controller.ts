import { Body, Controller, Get, Param, Put, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, IdempotencyOf, IdempotentRequests, type IdempotentCall, type StaffRole } from '@skald/service-kit';
import { CatalogService } from '../catalog/catalog.service.js';
import { ApiProblems } from '@skald/service-kit';
import { skuUnknown, warehouseUnknown } from '../common/http-problems.js';
import { SkuParams } from '../common/sku.params.js';
import { WarehousesService } from '../warehouses/warehouses.service.js';
import {
  LedgerPageDto,
  LedgerQueryDto,
  LowStockThresholdDto,
  PutLowStockThresholdDto,
  SkuWarehouseParams,
  StockDto,
} from './dto/stock.dto.js';
import { StockService } from './stock.service.js';

const READERS: StaffRole[] = ['inventory', 'warehouse', 'ops', 'reviewer'];
/** Who changes stock (receipts) also sets when to be warned of running low. */
const WRITERS: StaffRole[] = ['inventory', 'warehouse'];
const DEFAULT_LEDGER_PAGE = 50;

@ApiTags('stock')
@Controller('v1/stock')
export class StockController {
  constructor(
    private readonly idempotent: IdempotentRequests,
    private readonly catalog: CatalogService,
    private readonly warehouses: WarehousesService,
    private readonly stock: StockService,
  ) {}

  @Get(':sku')
  @Access({ roles: READERS })
  @ApiOperation({ summary: 'Stock of an SKU per warehouse: on hand, reserved, quarantined, available' })
  @ApiOkResponse({ type: StockDto })
  @ApiProblems([400, 401, 403, 404], { 404: 'Unknown SKU (SKU_UNKNOWN)', 422: 'Unknown SKUs (SKU_UNKNOWN, listed in skus); nothing stored' })
  async levels(@Param() { sku }: SkuParams): Promise<StockDto> {
    await this.requireKnown(sku);
    return StockDto.from(sku, await this.stock.levelsOf(sku));
  }

  @Get(':sku/ledger')
  @Access({ roles: READERS })
  @ApiOperation({ summary: 'Stock movements of an SKU, oldest first, a page at a time' })
  @ApiOkResponse({ type: LedgerPageDto })
  @ApiProblems([400, 401, 403, 404], { 404: 'Unknown SKU (SKU_UNKNOWN)', 422: 'Unknown SKUs (SKU_UNKNOWN, listed in skus); nothing stored' })
  async ledger(@Param() { sku }: SkuParams, @Query() query: LedgerQueryDto): Promise<LedgerPageDto> {
    await this.requireKnown(sku);
    const page = await this.stock.ledgerOf(sku, { limit: query.limit ?? DEFAULT_LEDGER_PAGE, cursor: query.cursor });
    return LedgerPageDto.from(page);
  }

  @Put(':sku/warehouses/:warehouse/low-stock-threshold')
  @Access({ roles: WRITERS })
  @ApiOperation({
    summary: 'Set the low-stock threshold of an SKU in a warehouse',
    description:
      'inventory.stock.low.v1 is published when a movement takes available stock (on hand - reserved - quarantined) from at least the ' +
      'threshold to below it, and once now if it is already below (but was not below the previous threshold).',
  })
  @ApiOkResponse({ type: LowStockThresholdDto })
  @ApiProblems([400, 401, 403, 404], { 404: 'Unknown SKU (SKU_UNKNOWN) or warehouse (WAREHOUSE_UNKNOWN)' })
  putLowStockThreshold(
    @Param() { sku, warehouse }: SkuWarehouseParams,
    @Body() body: PutLowStockThresholdDto,
    @IdempotencyOf() call: IdempotentCall,
  ): Promise<LowStockThresholdDto> {
    return this.idempotent.transaction(call, async (manager) => {
      if ((await this.catalog.unknownSkus(manager, [sku])).length > 0) throw skuUnknown(sku);
      if (!(await this.warehouses.exists(manager, warehouse))) throw warehouseUnknown(warehouse);
      return LowStockThresholdDto.from(await this.stock.setLowStockThreshold(manager, sku, warehouse, body.threshold));
    });
  }

  private async requireKnown(sku: string): Promise<void> {
    if (!(await this.catalog.find(sku))) throw skuUnknown(sku);
  }
}
