import { Body, Controller, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, CurrentCaller, type Caller } from '@skald/service-kit';
import { DataSource } from 'typeorm';
import { ApiProblems } from '@skald/service-kit';
import { CreateReceiptDto, ReceiptDto } from './dto/receipt.dto.js';
import { ReceiptsService } from './receipts.service.js';

@ApiTags('stock')
@Controller('v1/stock/receipts')
export class ReceiptsController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly receipts: ReceiptsService,
  ) {}

  @Post()
  @Access({ roles: ['inventory', 'warehouse'] })
  @ApiOperation({
    summary: 'Record goods received into a warehouse',
    description: 'Raises on-hand stock; one ledger entry per line. Every SKU must be in the catalog (else 422 SKU_UNKNOWN).',
  })
  @ApiCreatedResponse({ type: ReceiptDto })
  @ApiProblems([400, 401, 403, 422], { 404: 'Unknown SKU (SKU_UNKNOWN)', 422: 'Unknown SKUs (SKU_UNKNOWN, listed in skus); nothing stored' })
  async receive(@Body() body: CreateReceiptDto, @CurrentCaller() caller: Caller): Promise<ReceiptDto> {
    const receipt = await this.dataSource.transaction((manager) => this.receipts.receive(manager, body, caller.principalId));
    return ReceiptDto.from(receipt);
  }
}
