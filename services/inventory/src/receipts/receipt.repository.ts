import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { SkuQuantity } from '../common/quantities.js';
import { StockReceipt, StockReceiptLine } from './stock-receipt.entity.js';

@Injectable()
export class ReceiptRepository {
  async insert(
    manager: EntityManager,
    receipt: Pick<StockReceipt, 'id' | 'warehouse' | 'reference' | 'receivedBy'>,
    lines: readonly SkuQuantity[],
  ): Promise<StockReceipt> {
    await manager.getRepository(StockReceipt).insert(receipt);
    await manager.getRepository(StockReceiptLine).insert(
      lines.map((line, index) => ({ receiptId: receipt.id, lineNo: index + 1, sku: line.sku, quantity: line.quantity })),
    );
    return manager.getRepository(StockReceipt).findOneByOrFail({ id: receipt.id });
  }
}
