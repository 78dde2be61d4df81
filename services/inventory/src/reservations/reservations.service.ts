import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { SkaldError, type OnShortage } from '@skald/contracts';
import type { EntityManager } from 'typeorm';
import { CatalogService } from '../catalog/catalog.service.js';
import { compareIdentifiers } from '../common/identifiers.js';
import { sumBySku, type SkuQuantity } from '../common/quantities.js';
import { StockService } from '../stock/stock.service.js';
import { allocate, allocateAvailable, type Allocation, type Shortage } from './allocation.js';
import { BackorderRepository } from './backorder.repository.js';
import { ReservationHold } from './reservation-hold.js';
import { type RejectionReason, type Reservation, type ReservationRequest } from './reservation.entity.js';
import { ReservationRepository, type NewReservation } from './reservation.repository.js';

export interface ReserveRequest {
  orderId: string;
  tenantId: string | null;
  /** The saga asking; later events about this attempt (backorder allocated, expiry) carry it. */
  correlationId: string | null;
  lines: readonly SkuQuantity[];
  onShortage: OnShortage;
  attempt: number;
  /** Explicit hold; null: the configured hold. */
  holdUntil: Date | null;
}

export type ReservedStock = Pick<Reservation, 'id' | 'sku' | 'warehouse' | 'quantity'>;

/**
 * What a reserve command comes to (a re-sent one: the first decision again).
 * - `reserved`: what was reserved, what waits (`backorder`), what was given up (`take_available`).
 * - `settled`: the attempt was reserved before and everything has since been shipped or released,
 *   and nothing waits; nothing to report.
 * - `released`: the order was released as a whole before this command arrived; nothing reserved.
 * - `superseded`: a later attempt of the order was decided already; this one is stale.
 */
export type ReserveOutcome =
  | {
      kind: 'reserved';
      attempt: number;
      onShortage: OnShortage;
      reservations: ReservedStock[];
      backordered: SkuQuantity[];
      unavailable: SkuQuantity[];
    }
  | { kind: 'rejected'; attempt: number; reason: RejectionReason; shortages: Shortage[] }
  | { kind: 'settled'; attempt: number }
  | { kind: 'released'; attempt: number; reason: string }
  | { kind: 'superseded'; attempt: number; latestAttempt: number };

export interface Consumption {
  orderId: string;
  warehouse: string;
  sku: string;
  quantity: number;
  /** What consumed it (the outbound note). */
  reference: string;
}

@Injectable()
export class ReservationsService {
  private readonly logger = new Logger(ReservationsService.name);

  constructor(
    private readonly catalog: CatalogService,
    private readonly stock: StockService,
    private readonly reservations: ReservationRepository,
    private readonly backorders: BackorderRepository,
    private readonly hold: ReservationHold,
  ) {}

  /**
   * Reserves an order's lines, each SKU (lines of the same SKU summed) from the warehouses by
   * priority, split over several when needed. When stock is short, `onShortage` decides:
   * `reject` reserves nothing; `backorder` reserves what there is and queues the rest for
   * receipts and releases; `take_available` reserves what there is and gives up the rest (and,
   * when nothing at all is available, rejects: nothing was reserved). Unknown and unsellable
   * SKUs reject whatever the mode.
   *
   * The SKUs' allocation locks and stock levels stay locked until the caller's transaction ends,
   * so concurrent orders and receipts never take the same unit. One decision per (order,
   * attempt): a re-sent command gets the first decision again and changes nothing; a new attempt
   * is decided anew and ends the waiting backorder lines of earlier ones.
   */
  async reserve(manager: EntityManager, request: ReserveRequest): Promise<ReserveOutcome> {
    const { orderId, attempt } = request;
    await this.reservations.lockOrder(manager, orderId);
    const { released, request: previous, latestAttempt } = await this.reservations.decisionState(manager, orderId, attempt);
    if (released) {
      this.logger.warn(`order ${orderId}: reserve command (attempt ${attempt}) arrived after the order was released (${released.reason}); nothing reserved`);
      return { kind: 'released', attempt, reason: released.reason };
    }
    if (previous) return this.replay(manager, previous, request);
    if (latestAttempt > attempt) {
      this.logger.warn(`order ${orderId}: reserve command of attempt ${attempt} arrived after attempt ${latestAttempt} was decided; ignored`);
      return { kind: 'superseded', attempt, latestAttempt };
    }

    const requested = sumBySku(request.lines);
    const skus = [...requested.keys()];
    // Lines of earlier attempts stop waiting: this attempt replaces them. Their SKUs are locked
    // with the requested ones (lines only change under their SKUs' locks).
    const earlierWaiting = await this.backorders.waitingOfOrder(manager, orderId);
    const stock = await this.stock.lockForAllocation(manager, [...new Set([...skus, ...earlierWaiting.map((line) => line.sku)])]);
    if (earlierWaiting.length > 0) {
      const ended = await this.backorders.endWaiting(manager, orderId, `superseded:attempt-${attempt}`, attempt);
      this.logger.log(`order ${orderId}: attempt ${attempt} ends the waiting backorder of earlier attempts (${ended.map((l) => l.sku).join(', ')})`);
    }

    const items = await this.catalog.itemsBySku(manager, skus);
    const unknown = skus.filter((sku) => !items.has(sku));
    if (unknown.length > 0) return this.reject(manager, request, requested, 'SKU_UNKNOWN', unknown);
    const unsellable = skus.filter((sku) => !items.get(sku)?.sellable);
    if (unsellable.length > 0) return this.reject(manager, request, requested, 'SKU_NOT_SELLABLE', unsellable);

    let allocations: Allocation[];
    let missing: SkuQuantity[] = [];
    if (request.onShortage === 'reject') {
      const allocation = allocate(requested, stock);
      if (!allocation.ok) return this.reject(manager, request, requested, 'STOCK_SHORT', allocation.shortages);
      allocations = allocation.allocations;
    } else {
      const allocation = allocateAvailable(requested, stock);
      allocations = allocation.allocations;
      missing = [...allocation.missing].map(([sku, quantity]) => ({ sku, quantity }));
      if (request.onShortage === 'take_available' && allocations.length === 0) {
        // Nothing of any SKU was there: every line is missing in full.
        const shortages = missing.map(({ sku, quantity }) => ({ sku, requested: quantity, available: 0 }));
        return this.reject(manager, request, requested, 'STOCK_SHORT', shortages);
      }
    }

    const backordered = request.onShortage === 'backorder' ? missing : [];
    const unavailable = request.onShortage === 'take_available' ? missing : [];
    await this.reservations.recordRequest(manager, {
      orderId,
      attempt,
      tenantId: request.tenantId,
      correlationId: request.correlationId,
      onShortage: request.onShortage,
      holdUntil: request.holdUntil,
      lines: asLines(requested),
      outcome: 'reserved',
      reason: null,
      shortages: null,
      unavailable: request.onShortage === 'take_available' ? unavailable : null,
    });
    const expiresAt = this.hold.expiresAt(request.holdUntil);
    const reservations: NewReservation[] = allocations.map((allocated) => ({
      id: randomUUID(),
      orderId,
      attempt,
      tenantId: request.tenantId,
      expiresAt,
      ...allocated,
    }));
    await this.reservations.insert(manager, reservations);
    for (const reservation of reservations) {
      await this.stock.move(manager, {
        sku: reservation.sku,
        warehouse: reservation.warehouse,
        kind: 'reserve',
        onHandDelta: 0,
        reservedDelta: reservation.quantity,
        orderId,
        reference: reservation.id,
      });
    }
    await this.backorders.insert(
      manager,
      backordered.map((line) => ({ orderId, attempt, tenantId: request.tenantId, sku: line.sku, quantity: line.quantity })),
    );
    this.logger.log(
      `order ${orderId} (attempt ${attempt}, ${request.onShortage}): reserved ${reservations.length} reservation(s) for ${skus.length} SKU(s)` +
        (backordered.length > 0 ? `, ${backordered.length} SKU(s) backordered` : '') +
        (unavailable.length > 0 ? `, ${unavailable.length} SKU(s) unavailable` : ''),
    );
    // Listed in the order a replay lists them (SKU, then warehouse), so both answers are equal.
    const listed = reservations
      .map(toReserved)
      .sort((a, b) => compareIdentifiers(a.sku, b.sku) || compareIdentifiers(a.warehouse, b.warehouse));
    return { kind: 'reserved', attempt, onShortage: request.onShortage, reservations: listed, backordered, unavailable };
  }

  /**
   * The order's reservations in a warehouse no longer expire: the warehouse confirmed their
   * outbound note and is working on it. Idempotent.
   * @returns how many had a hold still.
   */
  pin(manager: EntityManager, orderId: string, warehouse: string): Promise<number> {
    return this.reservations.pin(manager, orderId, warehouse);
  }

  /**
   * Consumes `quantity` of an order's active reservations of an SKU in a warehouse (oldest
   * first; a reservation larger than what is left is split). Does not move stock: the caller
   * records the shipment's stock movement.
   * @throws SkaldError(RESERVATION_NOT_FOUND, not retryable) when less than `quantity` is
   *         actively reserved: stock is never adjusted to fit.
   */
  async consume(manager: EntityManager, consumption: Consumption): Promise<void> {
    const { orderId, warehouse, sku, quantity, reference } = consumption;
    const active = await this.reservations.lockActive(manager, orderId, warehouse, sku);
    const reserved = active.reduce((sum, reservation) => sum + reservation.quantity, 0);
    if (reserved < quantity) {
      throw new SkaldError(
        'RESERVATION_NOT_FOUND',
        `${reference}: order ${orderId} shipped ${quantity} of ${sku} from ${warehouse}, but has ${reserved} actively reserved there`,
        { retryable: false, details: { orderId, warehouse, sku, shipped: quantity, reserved } },
      );
    }
    let left = quantity;
    for (const reservation of active) {
      if (left === 0) break;
      if (reservation.quantity <= left) {
        await this.reservations.settle(manager, reservation.id, 'consumed', reference);
        left -= reservation.quantity;
      } else {
        await this.reservations.settlePart(manager, reservation, left, 'consumed', reference, randomUUID());
        left = 0;
      }
    }
  }

  private async reject(
    manager: EntityManager,
    request: ReserveRequest,
    requested: ReadonlyMap<string, number>,
    reason: RejectionReason,
    short: readonly string[] | readonly Shortage[],
  ): Promise<ReserveOutcome> {
    const shortages: Shortage[] = short.map((entry) =>
      typeof entry === 'string' ? { sku: entry, requested: requested.get(entry) ?? 0, available: 0 } : entry,
    );
    await this.reservations.recordRequest(manager, {
      orderId: request.orderId,
      attempt: request.attempt,
      tenantId: request.tenantId,
      correlationId: request.correlationId,
      onShortage: request.onShortage,
      holdUntil: request.holdUntil,
      lines: asLines(requested),
      outcome: 'rejected',
      reason,
      shortages,
      unavailable: null,
    });
    this.logger.log(
      `order ${request.orderId} (attempt ${request.attempt}): nothing reserved, ${reason} (${shortages.map((s) => s.sku).join(', ')})`,
    );
    return { kind: 'rejected', attempt: request.attempt, reason, shortages };
  }

  /**
   * The first decision of an attempt, as it stands now: its reservations still active, its lines
   * still waiting (backorder allocations since then moved units from the one to the other).
   */
  private async replay(manager: EntityManager, previous: ReservationRequest, request: ReserveRequest): Promise<ReserveOutcome> {
    const what = `order ${request.orderId} (attempt ${request.attempt})`;
    if (!sameLines(previous.lines, asLines(sumBySku(request.lines))) || previous.onShortage !== request.onShortage) {
      this.logger.warn(`${what}: reserve command re-sent with other lines or shortage mode than the first; answering the first`);
    } else {
      this.logger.log(`${what}: reserve command re-sent; answering the first decision (${previous.outcome})`);
    }
    if (previous.outcome === 'rejected') {
      return { kind: 'rejected', attempt: previous.attempt, reason: previous.reason ?? 'STOCK_SHORT', shortages: previous.shortages ?? [] };
    }
    const active = await this.reservations.activeOfOrder(manager, previous.orderId, previous.attempt);
    const waiting = await this.backorders.waitingOfOrder(manager, previous.orderId, previous.attempt);
    if (active.length === 0 && waiting.length === 0) return { kind: 'settled', attempt: previous.attempt };
    return {
      kind: 'reserved',
      attempt: previous.attempt,
      onShortage: previous.onShortage,
      reservations: active.map(toReserved),
      backordered: waiting.map((line) => ({ sku: line.sku, quantity: line.quantity - line.allocated })),
      unavailable: previous.unavailable ?? [],
    };
  }
}

function asLines(requested: ReadonlyMap<string, number>): SkuQuantity[] {
  return [...requested].map(([sku, quantity]) => ({ sku, quantity }));
}

function sameLines(a: readonly SkuQuantity[], b: readonly SkuQuantity[]): boolean {
  return a.length === b.length && a.every((line, i) => line.sku === b[i].sku && line.quantity === b[i].quantity);
}

function toReserved(reservation: ReservedStock): ReservedStock {
  return { id: reservation.id, sku: reservation.sku, warehouse: reservation.warehouse, quantity: reservation.quantity };
}
