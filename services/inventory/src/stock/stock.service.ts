import { Injectable } from '@nestjs/common';
import { LowStockAlertV1 } from '@skald/contracts';
import { Outbox } from '@skald/messaging';
import type { EntityManager } from 'typeorm';
import { decodeLedgerCursor, encodeLedgerCursor } from './ledger-cursor.js';
import { LowStockThresholdRepository } from './low-stock-threshold.repository.js';
import { availableOf, type AllocatableStock, type StockLevelView } from './stock-level.entity.js';
import { StockLevelRepository } from './stock-level.repository.js';
import { StockLedgerRepository } from './stock-ledger.repository.js';
import type { Movement, StockMovement } from './stock-movement.entity.js';

export interface LedgerPage {
  items: StockMovement[];
  nextCursor: string | null;
}

/** A low-stock threshold as set, with the level it was compared with. */
export interface ThresholdSetting {
  sku: string;
  warehouse: string;
  threshold: number;
  onHand: number;
  reserved: number;
  quarantined: number;
  available: number;
  /** Whether setting it raised a low-stock alert (availability already below it, and not below the previous one). */
  alerted: boolean;
}

interface LevelState {
  sku: string;
  warehouse: string;
  onHand: number;
  reserved: number;
  quarantined: number;
}

/**
 * Stock levels and their ledger. Every change of a level goes through `move`, which writes the
 * ledger entry in the same transaction: a level always equals the sum of its ledger's deltas.
 * `move` is also where low-stock thresholds are watched, since every movement passes there.
 */
@Injectable()
export class StockService {
  constructor(
    private readonly levels: StockLevelRepository,
    private readonly ledger: StockLedgerRepository,
    private readonly thresholds: LowStockThresholdRepository,
    private readonly outbox: Outbox,
  ) {}

  /** Creates the missing (empty) levels of these SKUs in a warehouse; they are not locked. */
  openLevels(manager: EntityManager, warehouse: string, skus: readonly string[]): Promise<void> {
    return this.levels.insertMissing(manager, warehouse, skus);
  }

  /**
   * Takes the allocation lock of each SKU until the transaction ends (see
   * StockLevelRepository.lockSkus). Taken before any stock level lock; re-taking it is harmless.
   */
  lockSkus(manager: EntityManager, skus: readonly string[]): Promise<void> {
    return this.levels.lockSkus(manager, skus);
  }

  /**
   * Takes the SKUs' allocation locks, then locks every level of these SKUs (all warehouses) until
   * the transaction ends, in (sku, warehouse) order, and returns them with their warehouse's
   * priority.
   */
  async lockForAllocation(manager: EntityManager, skus: readonly string[]): Promise<AllocatableStock[]> {
    await this.levels.lockSkus(manager, skus);
    return this.levels.lockAllOf(manager, skus);
  }

  /** Locks the levels of these SKUs in one warehouse until the transaction ends. */
  lockIn(manager: EntityManager, warehouse: string, skus: readonly string[]): Promise<AllocatableStock[]> {
    return this.levels.lockIn(manager, warehouse, skus);
  }

  /**
   * Applies a movement to its stock level and records it in the ledger. The caller should hold
   * the level's lock already (taken in lock order); the CHECK constraint refuses a level that
   * would go below zero or reserve more than is on hand. A movement that takes the available
   * stock from at least the level's low-stock threshold to below it publishes LowStockAlert in the
   * same transaction (crossing only: no further alert while it stays below).
   */
  async move(manager: EntityManager, movement: Movement): Promise<StockMovement> {
    const quarantinedDelta = movement.quarantinedDelta ?? 0;
    const { entry, level: after } = await this.ledger.record(manager, {
      sku: movement.sku,
      warehouse: movement.warehouse,
      kind: movement.kind,
      onHandDelta: movement.onHandDelta,
      reservedDelta: movement.reservedDelta,
      quarantinedDelta,
      writtenOff: movement.writtenOff ?? 0,
      orderId: movement.orderId ?? null,
      reference: movement.reference ?? null,
      reason: movement.reason ?? null,
    });
    const availableDelta = movement.onHandDelta - movement.reservedDelta - quarantinedDelta;
    if (availableDelta < 0) {
      const availableBefore = availableOf(after) - availableDelta;
      const threshold = after.lowStockThreshold;
      if (threshold !== null && availableBefore >= threshold) {
        await this.alertIfBelow(manager, { sku: movement.sku, warehouse: movement.warehouse, ...after }, threshold);
      }
    }
    return entry;
  }

  /**
   * Sets the low-stock threshold of an SKU in a warehouse (the level is created empty if there is
   * none yet, and locked so no movement interleaves). When the available stock is already below
   * the new threshold but was not below the previous one, the alert is raised now, once.
   */
  async setLowStockThreshold(manager: EntityManager, sku: string, warehouse: string, threshold: number): Promise<ThresholdSetting> {
    await this.levels.insertMissing(manager, warehouse, [sku]);
    const [level] = await this.levels.lockIn(manager, warehouse, [sku]);
    const previous = await this.thresholds.find(manager, sku, warehouse);
    await this.thresholds.put(manager, sku, warehouse, threshold);
    const available = availableOf(level);
    const alreadyBelow = previous !== null && available < previous;
    const alerted = !alreadyBelow && (await this.alertIfBelow(manager, level, threshold));
    return { sku, warehouse, threshold, onHand: level.onHand, reserved: level.reserved, quarantined: level.quarantined, available, alerted };
  }

  /** The levels of an SKU with their thresholds, by warehouse priority then code. */
  levelsOf(sku: string): Promise<StockLevelView[]> {
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

  private async alertIfBelow(manager: EntityManager, level: LevelState, threshold: number): Promise<boolean> {
    const available = availableOf(level);
    if (available >= threshold) return false;
    await this.outbox.publish(
      manager,
      LowStockAlertV1,
      { sku: level.sku, warehouse: level.warehouse, available, onHand: level.onHand, reserved: level.reserved, threshold },
      // Stock is the trading company's, not a platform's.
      { tenantId: null },
    );
    return true;
  }
}
