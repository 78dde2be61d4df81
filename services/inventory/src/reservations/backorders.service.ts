import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { BackorderAllocatedV1 } from '@skald/contracts';
import { Outbox } from '@skald/messaging';
import type { EntityManager } from 'typeorm';
import { compareIdentifiers } from '../common/identifiers.js';
import type { SkuQuantity } from '../common/quantities.js';
import { StockService } from '../stock/stock.service.js';
import { allocateAvailable } from './allocation.js';
import { BackorderRepository } from './backorder.repository.js';
import { ReservationHold } from './reservation-hold.js';
import { ReservationRepository, type NewReservation } from './reservation.repository.js';

/** What one order got from freed or received stock. */
export interface BackorderFill {
  orderId: string;
  attempt: number;
  reservations: NewReservation[];
  /** What the order still waits for, after this allocation. */
  backordered: SkuQuantity[];
}

/**
 * Gives stock that became available (received, released) to the orders waiting for it, first come
 * first served: lines in queue order, across orders, each taking what there is (a line may be
 * partly filled and keep waiting for the rest).
 */
@Injectable()
export class BackordersService {
  private readonly logger = new Logger(BackordersService.name);

  constructor(
    private readonly stock: StockService,
    private readonly lines: BackorderRepository,
    private readonly reservations: ReservationRepository,
    private readonly hold: ReservationHold,
    private readonly outbox: Outbox,
  ) {}

  /**
   * Allocates the available stock of these SKUs to their waiting lines, within the caller's
   * transaction: reservations (`reserve` movements) for the lines' orders, and one
   * BackorderAllocated per order served, published through the outbox with the order's saga
   * correlation and tenant. Takes the SKUs' allocation locks and their levels' locks (in lock
   * order; the caller may hold them already), so two receipts, or a receipt and a reserve, never
   * hand out the same unit.
   */
  async allocateWaiting(manager: EntityManager, skus: readonly string[]): Promise<BackorderFill[]> {
    if (skus.length === 0) return [];
    await this.stock.lockSkus(manager, skus);
    // Stable while the SKU locks are held: lines are only added or ended under them.
    const waitingSkus = await this.lines.skusWaiting(manager, skus);
    if (waitingSkus.length === 0) return [];

    const pool = (await this.stock.lockForAllocation(manager, waitingSkus)).map((level) => ({ ...level }));
    const queue = await this.lines.lockQueue(manager, waitingSkus);
    const served = new Map<string, { orderId: string; attempt: number; tenantId: string | null; correlationId: string | null; reservations: NewReservation[] }>();
    for (const line of queue) {
      const { allocations } = allocateAvailable(new Map([[line.sku, line.waiting]]), pool);
      if (allocations.length === 0) continue;
      const order = served.get(line.orderId) ?? {
        orderId: line.orderId,
        attempt: line.attempt,
        tenantId: line.tenantId,
        correlationId: line.correlationId,
        reservations: [],
      };
      served.set(line.orderId, order);
      let taken = 0;
      for (const allocation of allocations) {
        const level = pool.find((l) => l.sku === allocation.sku && l.warehouse === allocation.warehouse);
        if (level) level.reserved += allocation.quantity;
        taken += allocation.quantity;
        order.reservations.push({
          id: randomUUID(),
          orderId: line.orderId,
          attempt: line.attempt,
          tenantId: line.tenantId,
          sku: allocation.sku,
          warehouse: allocation.warehouse,
          quantity: allocation.quantity,
          expiresAt: this.hold.expiresAt(line.holdUntil),
        });
      }
      await this.lines.addAllocated(manager, line.id, taken);
    }

    const fills: BackorderFill[] = [];
    for (const order of served.values()) {
      order.reservations.sort((a, b) => compareIdentifiers(a.sku, b.sku) || compareIdentifiers(a.warehouse, b.warehouse));
      await this.reservations.insert(manager, order.reservations);
      for (const reservation of order.reservations) {
        await this.stock.move(manager, {
          sku: reservation.sku,
          warehouse: reservation.warehouse,
          kind: 'reserve',
          onHandDelta: 0,
          reservedDelta: reservation.quantity,
          orderId: reservation.orderId,
          reference: reservation.id,
        });
      }
      const backordered = (await this.lines.waitingOfOrder(manager, order.orderId, order.attempt)).map((line) => ({
        sku: line.sku,
        quantity: line.quantity - line.allocated,
      }));
      await this.outbox.publish(
        manager,
        BackorderAllocatedV1,
        {
          orderId: order.orderId,
          reservations: order.reservations.map((r) => ({ reservationId: r.id, warehouse: r.warehouse, sku: r.sku, quantity: r.quantity })),
          backordered,
          attempt: order.attempt,
        },
        { correlationId: order.correlationId ?? undefined, tenantId: order.tenantId },
      );
      this.logger.log(
        `order ${order.orderId}: ${order.reservations.length} reservation(s) from backorder, ${backordered.length} line(s) still waiting`,
      );
      fills.push({ orderId: order.orderId, attempt: order.attempt, reservations: order.reservations, backordered });
    }
    return fills;
  }
}
