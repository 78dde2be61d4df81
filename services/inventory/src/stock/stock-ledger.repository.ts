import { Injectable } from '@nestjs/common';
import { DataSource, MoreThan, type EntityManager } from 'typeorm';
import { StockMovement } from './stock-movement.entity.js';

@Injectable()
export class StockLedgerRepository {
  constructor(private readonly dataSource: DataSource) {}

  async append(manager: EntityManager, entry: Omit<StockMovement, 'id' | 'at'>): Promise<StockMovement> {
    const [row]: Array<{ id: string; at: Date }> = await manager.query(
      `INSERT INTO stock_movement
         (sku, warehouse, kind, on_hand_delta, reserved_delta, on_hand_after, reserved_after, order_id, reference, reason,
          quarantined_delta, quarantined_after, written_off)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
       RETURNING id, at`,
      [
        entry.sku,
        entry.warehouse,
        entry.kind,
        entry.onHandDelta,
        entry.reservedDelta,
        entry.onHandAfter,
        entry.reservedAfter,
        entry.orderId,
        entry.reference,
        entry.reason,
        entry.quarantinedDelta,
        entry.quarantinedAfter,
        entry.writtenOff,
      ],
    );
    return Object.assign(new StockMovement(), entry, row);
  }

  /** Entries of an SKU after the entry `afterId` (all when undefined), oldest first. */
  page(
    sku: string,
    afterId: string | undefined,
    limit: number,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<StockMovement[]> {
    return manager.getRepository(StockMovement).find({
      where: afterId === undefined ? { sku } : { sku, id: MoreThan(afterId) },
      order: { id: 'ASC' },
      take: limit,
    });
  }
}
