import { Body, Controller, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, ApiProblems, CurrentCaller, IdempotencyOf, IdempotentRequests, type Caller, type IdempotentCall } from '@skald/service-kit';
import { CreateReceiptDto, ReceiptDto } from './dto/receipt.dto.js';
import { ReceiptsService } from './receipts.service.js';

@ApiTags('stock')
@Controller('v1/stock/receipts')
export class ReceiptsController {
  constructor(
    private readonly idempotent: IdempotentRequests,
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
  receive(@Body() body: CreateReceiptDto, @CurrentCaller() caller: Caller, @IdempotencyOf() call: IdempotentCall): Promise<ReceiptDto> {
    return this.idempotent.transaction(call, async (manager) => ReceiptDto.from(await this.receipts.receive(manager, body, caller.principalId)));
  }
}
