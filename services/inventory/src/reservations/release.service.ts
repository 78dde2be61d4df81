import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { SkuQuantity } from '../common/quantities.js';
import { StockService } from '../stock/stock.service.js';
import { BackorderRepository } from './backorder.repository.js';
import { BackordersService, type BackorderFill } from './backorders.service.js';
import { ReservationRepository } from './reservation.repository.js';
import type { ReservedStock } from './reservations.service.js';

export interface ReleaseRequest {
  orderId: string;
  tenantId: string | null;
  reason: string;
  /** Only these reservations (those still active of the order); absent: the whole order. */
  reservationIds?: readonly string[];
  /** With `reservationIds`: the order's backorder stops waiting too. */
  endBackorder?: boolean;
}

export interface ReleaseOutcome {
  released: ReservedStock[];
  backorderEnded: SkuQuantity[];
  /** Orders that got the freed stock from their backorder. */
  fills: BackorderFill[];
}

/**
 * Gives back an order's reserved stock (the saga's compensation, or an expired hold let go).
 * Idempotent: what was released before is not active any more, so a re-sent command releases
 * nothing more.
 */
@Injectable()
export class ReleaseService {
  private readonly logger = new Logger(ReleaseService.name);

  constructor(
    private readonly stock: StockService,
    private readonly reservations: ReservationRepository,
    private readonly backorders: BackorderRepository,
    private readonly backorderAllocation: BackordersService,
  ) {}

  /**
   * Releases the order's active reservations (all, or the listed ones): each becomes `released`
   * with `release:<order>` as its settled reference, and a `release` movement gives its units
   * back. Without `reservationIds` (or with `endBackorder`) the order's waiting backorder ends
   * too; a whole release also leaves a tombstone, so a reserve command arriving later reserves
   * nothing. The freed stock then goes to the orders waiting for it, first come, first served.
   * Serialised per order with reserve commands (the order lock), in the caller's transaction.
   */
  async release(manager: EntityManager, request: ReleaseRequest): Promise<ReleaseOutcome> {
    const { orderId, reason } = request;
    const whole = request.reservationIds === undefined;
    const endsBackorder = whole || request.endBackorder === true;
    const reference = `release:${orderId}`;
    await this.reservations.lockOrder(manager, orderId);

    // Which SKUs to lock: the order's reservations and waiting lines. Under the order lock no new
    // line appears; a receipt may still turn a waiting line into a reservation meanwhile, but of
    // an SKU read here, and the re-read under the locks below sees it.
    const before = await this.reservations.activeOfOrder(manager, orderId);
    const waiting = endsBackorder ? await this.backorders.waitingOfOrder(manager, orderId) : [];
    const skus = [...new Set([...before.map((r) => r.sku), ...waiting.map((line) => line.sku)])];
    await this.stock.lockForAllocation(manager, skus);

    const releasing = await this.reservations.lockActiveOfOrder(manager, orderId, request.reservationIds);
    if (!whole) {
      const found = new Set(releasing.map((r) => r.id));
      const gone = (request.reservationIds ?? []).filter((id) => !found.has(id));
      if (gone.length > 0) this.logger.log(`order ${orderId}: not active (released before, shipped, or not the order's): ${gone.join(', ')}`);
    }
    for (const reservation of releasing) {
      await this.reservations.settle(manager, reservation.id, 'released', reference);
      await this.stock.move(manager, {
        sku: reservation.sku,
        warehouse: reservation.warehouse,
        kind: 'release',
        onHandDelta: 0,
        reservedDelta: -reservation.quantity,
        orderId,
        reference,
        reason,
      });
    }
    const backorderEnded = endsBackorder ? await this.backorders.endWaiting(manager, orderId, reference) : [];
    if (whole) await this.reservations.recordReleased(manager, { orderId, tenantId: request.tenantId, reason });

    const fills = await this.backorderAllocation.allocateWaiting(manager, [...new Set(releasing.map((r) => r.sku))]);
    this.logger.log(
      `order ${orderId}: released ${releasing.length} reservation(s)` +
        (backorderEnded.length > 0 ? `, ended the backorder of ${backorderEnded.length} SKU(s)` : '') +
        (fills.length > 0 ? `; the freed stock went to ${fills.length} waiting order(s)` : '') +
        ` (${reason})`,
    );
    return {
      released: releasing.map((r) => ({ id: r.id, sku: r.sku, warehouse: r.warehouse, quantity: r.quantity })),
      backorderEnded,
      fills,
    };
  }
}
