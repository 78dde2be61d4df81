import { Injectable } from '@nestjs/common';
import { DataSource, MoreThan, type EntityManager } from 'typeorm';
import { StockMovement } from './stock-movement.entity.js';

/** A stock level after a movement, with its low-stock threshold. */
export interface LevelAfter {
  onHand: number;
  reserved: number;
  quarantined: number;
  lowStockThreshold: number | null;
}

@Injectable()
export class StockLedgerRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Adds the movement's deltas to its stock level and appends the ledger entry with the level as
   * it now is, in one statement; returns the entry and the level (with its low-stock threshold:
   * every movement is checked against it, so it costs no extra round trip).
   *
   * One plain SQL statement on purpose: every reserve, consume and release message moves stock,
   * and a round trip per write (plus TypeORM's query building) cost more than the work itself.
   * @throws Error when the level does not exist (a caller's bug: levels are created first).
   */
  async record(
    manager: EntityManager,
    entry: Omit<StockMovement, 'id' | 'at' | 'onHandAfter' | 'reservedAfter' | 'quarantinedAfter'>,
  ): Promise<{ entry: StockMovement; level: LevelAfter }> {
    const rows: Array<{ id: string; at: Date; on_hand: number; reserved: number; quarantined: number; threshold: number | null }> =
      await manager.query(
        `WITH level AS (
           UPDATE stock_level
              SET on_hand = on_hand + $4, reserved = reserved + $5, quarantined = quarantined + $10, updated_at = now()
            WHERE sku = $1 AND warehouse = $2
            RETURNING on_hand, reserved, quarantined,
                      (SELECT t.threshold FROM low_stock_threshold t WHERE t.sku = $1 AND t.warehouse = $2) AS threshold
         ), entry AS (
           INSERT INTO stock_movement
             (sku, warehouse, kind, on_hand_delta, reserved_delta, on_hand_after, reserved_after, order_id, reference, reason,
              quarantined_delta, quarantined_after, written_off)
           SELECT $1, $2, $3::text, $4, $5, level.on_hand, level.reserved, $6::text, $7::text, $8::text, $10, level.quarantined, $9::int FROM level
           RETURNING id, at
         )
         SELECT entry.id, entry.at, level.on_hand, level.reserved, level.quarantined, level.threshold FROM entry, level`,
        [
          entry.sku,
          entry.warehouse,
          entry.kind,
          entry.onHandDelta,
          entry.reservedDelta,
          entry.orderId,
          entry.reference,
          entry.reason,
          entry.writtenOff,
          entry.quarantinedDelta,
        ],
      );
    const row = rows[0];
    if (!row) throw new Error(`No stock level for ${entry.sku} in ${entry.warehouse}`);
    const recorded = Object.assign(new StockMovement(), entry, {
      id: row.id,
      at: row.at,
      onHandAfter: row.on_hand,
      reservedAfter: row.reserved,
      quarantinedAfter: row.quarantined,
    });
    return {
      entry: recorded,
      level: { onHand: row.on_hand, reserved: row.reserved, quarantined: row.quarantined, lowStockThreshold: row.threshold },
    };
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
