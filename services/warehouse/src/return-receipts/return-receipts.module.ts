import { Module } from '@nestjs/common';
import { ReturnInspectionLine, ReturnReceipt, ReturnReceiptLine } from './return-receipt.entity.js';
import { ReturnReceiptsHandler } from './return-receipts.handler.js';
import { ReturnReceiptsRepository } from './return-receipts.repository.js';
import { ReturnReceiptsService } from './return-receipts.service.js';

export const returnReceiptEntities = [ReturnReceipt, ReturnReceiptLine, ReturnInspectionLine];

/** Inbound receipts for returns: expected, received, inspected or cancelled by the return saga's commands. */
@Module({
  controllers: [ReturnReceiptsHandler],
  providers: [ReturnReceiptsRepository, ReturnReceiptsService],
})
export class ReturnReceiptsModule {}
