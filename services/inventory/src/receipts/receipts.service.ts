import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { SkaldError } from '@skald/contracts';
import type { EntityManager } from 'typeorm';
import { CatalogService } from '../catalog/catalog.service.js';
import { compareIdentifiers } from '../common/identifiers.js';
import type { SkuQuantity } from '../common/quantities.js';
import { BackordersService } from '../reservations/backorders.service.js';
import { StockService } from '../stock/stock.service.js';
import { WarehousesService } from '../warehouses/warehouses.service.js';
import { ReceiptRepository } from './receipt.repository.js';

export interface ReceiptInput {
  warehouse: string;
  lines: SkuQuantity[];
  reference?: string;
}

export interface RecordedReceipt {
  receiptId: string;
  warehouse: string;
  lines: SkuQuantity[];
  receivedAt: Date;
}

@Injectable()
export class ReceiptsService {
  private readonly logger = new Logger(ReceiptsService.name);

  constructor(
    private readonly catalog: CatalogService,
    private readonly warehouses: WarehousesService,
    private readonly stock: StockService,
    private readonly receipts: ReceiptRepository,
    private readonly backorders: BackordersService,
  ) {}

  /**
   * Records goods received into a warehouse (created with the default priority if new): one
   * `receipt` ledger entry per line, on-hand stock raised accordingly; then, in the same
   * transaction, the orders waiting for these SKUs are served first come, first served
   * (BackorderAllocated through the outbox).
   * @throws SkaldError(SKU_UNKNOWN) listing the SKUs that are not in the catalog; nothing is stored.
   */
  async receive(manager: EntityManager, input: ReceiptInput, receivedBy: string): Promise<RecordedReceipt> {
    const skus = input.lines.map((line) => line.sku);
    const unknown = await this.catalog.unknownSkus(manager, skus);
    if (unknown.length > 0) {
      throw new SkaldError('SKU_UNKNOWN', `Not in the catalog: ${unknown.join(', ')}.`, {
        retryable: false,
        details: { skus: unknown },
      });
    }
    await this.warehouses.ensureExists(manager, input.warehouse);
    const receipt = await this.receipts.insert(
      manager,
      { id: randomUUID(), warehouse: input.warehouse, reference: input.reference ?? null, receivedBy },
      input.lines,
    );
    const received = [...new Set(skus)];
    // The SKUs' allocation locks first (a reserve recording a backorder of them waits, or is
    // waited for), then the levels, created if new, of every warehouse: waiting orders may be
    // served from any of them.
    await this.stock.lockSkus(manager, received);
    await this.stock.openLevels(manager, input.warehouse, received);
    await this.stock.lockForAllocation(manager, received);
    // In lock order; a stable sort keeps a repeated SKU's lines in the order received.
    const inLockOrder = [...input.lines].sort((a, b) => compareIdentifiers(a.sku, b.sku));
    for (const line of inLockOrder) {
      await this.stock.move(manager, {
        sku: line.sku,
        warehouse: input.warehouse,
        kind: 'receipt',
        onHandDelta: line.quantity,
        reservedDelta: 0,
        reference: receipt.id,
      });
    }
    const fills = await this.backorders.allocateWaiting(manager, received);
    this.logger.log(
      `receipt ${receipt.id}: ${input.lines.length} line(s) into ${input.warehouse}` +
        (fills.length > 0 ? `; ${fills.length} backordered order(s) served` : ''),
    );
    return {
      receiptId: receipt.id,
      warehouse: receipt.warehouse,
      lines: input.lines.map(({ sku, quantity }) => ({ sku, quantity })),
      receivedAt: receipt.receivedAt,
    };
  }
}
