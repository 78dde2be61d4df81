import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, type StaffRole } from '@skald/service-kit';
import { CatalogService } from '../catalog/catalog.service.js';
import { ApiProblems } from '@skald/service-kit';
import { skuUnknown } from '../common/http-problems.js';
import { SkuParams } from '../common/sku.params.js';
import { LedgerPageDto, LedgerQueryDto, StockDto } from './dto/stock.dto.js';
import { StockService } from './stock.service.js';

const READERS: StaffRole[] = ['inventory', 'warehouse', 'ops', 'reviewer'];
const DEFAULT_LEDGER_PAGE = 50;

@ApiTags('stock')
@Controller('v1/stock')
export class StockController {
  constructor(
    private readonly catalog: CatalogService,
    private readonly stock: StockService,
  ) {}

  @Get(':sku')
  @Access({ roles: READERS })
  @ApiOperation({ summary: 'Stock of an SKU per warehouse: on hand, reserved, available' })
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

  private async requireKnown(sku: string): Promise<void> {
    if (!(await this.catalog.find(sku))) throw skuUnknown(sku);
  }
}
