import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { decodeLedgerCursor, encodeLedgerCursor } from './ledger-cursor.js';
import type { AllocatableStock } from './stock-level.entity.js';
import { StockLevelRepository } from './stock-level.repository.js';
import { StockLedgerRepository } from './stock-ledger.repository.js';
import type { Movement, StockMovement } from './stock-movement.entity.js';

export interface LedgerPage {
  items: StockMovement[];
  nextCursor: string | null;
}

/**
 * Stock levels and their ledger. Every change of a level goes through `move`, which writes the
 * ledger entry in the same transaction: a level always equals the sum of its ledger's deltas.
 */
@Injectable()
export class StockService {
  constructor(
    private readonly levels: StockLevelRepository,
    private readonly ledger: StockLedgerRepository,
  ) {}

  /** Creates the missing (empty) levels of these SKUs in a warehouse; they are not locked. */
  openLevels(manager: EntityManager, warehouse: string, skus: readonly string[]): Promise<void> {
    return this.levels.insertMissing(manager, warehouse, skus);
  }

  /**
   * Locks every level of these SKUs (all warehouses) until the transaction ends, in
   * (sku, warehouse) order, and returns them with their warehouse's priority.
   */
  lockForAllocation(manager: EntityManager, skus: readonly string[]): Promise<AllocatableStock[]> {
    return this.levels.lockAllOf(manager, skus);
  }

  /** Locks the levels of these SKUs in one warehouse until the transaction ends. */
  lockIn(manager: EntityManager, warehouse: string, skus: readonly string[]): Promise<AllocatableStock[]> {
    return this.levels.lockIn(manager, warehouse, skus);
  }

  /**
   * Applies a movement to its stock level and records it in the ledger. The caller should hold
   * the level's lock already (taken in lock order); the CHECK constraint refuses a level that
   * would go below zero or reserve more than is on hand.
   */
  async move(manager: EntityManager, movement: Movement): Promise<StockMovement> {
    const after = await this.levels.addDeltas(manager, movement, movement.onHandDelta, movement.reservedDelta);
    return this.ledger.append(manager, {
      sku: movement.sku,
      warehouse: movement.warehouse,
      kind: movement.kind,
      onHandDelta: movement.onHandDelta,
      reservedDelta: movement.reservedDelta,
      onHandAfter: after.onHand,
      reservedAfter: after.reserved,
      orderId: movement.orderId ?? null,
      reference: movement.reference ?? null,
    });
  }

  /** The levels of an SKU, by warehouse priority then code. */
  levelsOf(sku: string): Promise<AllocatableStock[]> {
    return this.levels.levelsOf(sku);
  }

  /**
   * A page of an SKU's ledger, oldest first.
   * @throws SkaldError(INVALID_CURSOR) for a cursor this service did not hand out.
   */
  async ledgerOf(sku: string, page: { limit: number; cursor?: string }): Promise<LedgerPage> {
    const afterId = page.cursor === undefined ? undefined : decodeLedgerCursor(page.cursor);
    // One more than asked tells whether there is a next page without a count.
    const entries = await this.ledger.page(sku, afterId, page.limit + 1);
    const items = entries.slice(0, page.limit);
    const last = items.at(-1);
    return { items, nextCursor: entries.length > page.limit && last ? encodeLedgerCursor(last.id) : null };
  }
}
