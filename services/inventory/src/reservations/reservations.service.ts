import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { SkaldError } from '@skald/contracts';
import type { EntityManager } from 'typeorm';
import { CatalogService } from '../catalog/catalog.service.js';
import { compareIdentifiers } from '../common/identifiers.js';
import { sumBySku, type SkuQuantity } from '../common/quantities.js';
import { StockService } from '../stock/stock.service.js';
import { allocate, type Shortage } from './allocation.js';
import { type RejectionReason, type Reservation, type ReservationRequest } from './reservation.entity.js';
import { ReservationRepository, type NewReservation } from './reservation.repository.js';

export interface ReserveRequest {
  orderId: string;
  tenantId: string | null;
  lines: readonly SkuQuantity[];
}

export type ReservedStock = Pick<Reservation, 'id' | 'sku' | 'warehouse' | 'quantity'>;

/**
 * What a reserve command comes to (a re-sent one: the first decision again). `settled`: the order
 * was reserved before and everything has since been shipped or released; nothing to report.
 */
export type ReserveOutcome =
  | { kind: 'reserved'; reservations: ReservedStock[] }
  | { kind: 'rejected'; reason: RejectionReason; shortages: Shortage[] }
  | { kind: 'settled' };

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
  ) {}

  /**
   * Reserves an order's lines, all or nothing: each SKU (lines of the same SKU summed) from the
   * warehouses by priority, split over several when needed. The SKUs' stock levels stay locked
   * until the caller's transaction ends, so concurrent orders never take the same unit.
   * One decision per order: a re-sent command gets the first decision again and changes nothing.
   */
  async reserve(manager: EntityManager, request: ReserveRequest): Promise<ReserveOutcome> {
    await this.reservations.lockOrder(manager, request.orderId);
    const previous = await this.reservations.findRequest(manager, request.orderId);
    if (previous) return this.replay(manager, previous, request);

    const requested = sumBySku(request.lines);
    const skus = [...requested.keys()];
    const items = await this.catalog.itemsBySku(manager, skus);
    const unknown = skus.filter((sku) => !items.has(sku));
    if (unknown.length > 0) return this.reject(manager, request, requested, 'SKU_UNKNOWN', unknown);
    const unsellable = skus.filter((sku) => !items.get(sku)?.sellable);
    if (unsellable.length > 0) return this.reject(manager, request, requested, 'SKU_NOT_SELLABLE', unsellable);

    const allocation = allocate(requested, await this.stock.lockForAllocation(manager, skus));
    if (!allocation.ok) return this.reject(manager, request, requested, 'STOCK_SHORT', allocation.shortages);

    await this.reservations.recordRequest(manager, {
      orderId: request.orderId,
      tenantId: request.tenantId,
      lines: asLines(requested),
      outcome: 'reserved',
      reason: null,
      shortages: null,
    });
    const reservations: NewReservation[] = allocation.allocations.map((allocated) => ({
      id: randomUUID(),
      orderId: request.orderId,
      tenantId: request.tenantId,
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
        orderId: request.orderId,
        reference: reservation.id,
      });
    }
    this.logger.log(`order ${request.orderId}: reserved ${reservations.length} reservation(s) for ${skus.length} SKU(s)`);
    // Listed in the order a replay lists them (SKU, then warehouse), so both answers are equal.
    const listed = reservations
      .map(toReserved)
      .sort((a, b) => compareIdentifiers(a.sku, b.sku) || compareIdentifiers(a.warehouse, b.warehouse));
    return { kind: 'reserved', reservations: listed };
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
      tenantId: request.tenantId,
      lines: asLines(requested),
      outcome: 'rejected',
      reason,
      shortages,
    });
    this.logger.log(`order ${request.orderId}: nothing reserved, ${reason} (${shortages.map((s) => s.sku).join(', ')})`);
    return { kind: 'rejected', reason, shortages };
  }

  private async replay(manager: EntityManager, previous: ReservationRequest, request: ReserveRequest): Promise<ReserveOutcome> {
    if (!sameLines(previous.lines, asLines(sumBySku(request.lines)))) {
      this.logger.warn(`order ${request.orderId}: reserve command re-sent with other lines than the first; answering the first`);
    } else {
      this.logger.log(`order ${request.orderId}: reserve command re-sent; answering the first decision (${previous.outcome})`);
    }
    if (previous.outcome === 'rejected') {
      return { kind: 'rejected', reason: previous.reason ?? 'STOCK_SHORT', shortages: previous.shortages ?? [] };
    }
    const active = await this.reservations.activeOfOrder(manager, previous.orderId);
    if (active.length === 0) return { kind: 'settled' };
    return { kind: 'reserved', reservations: active.map(toReserved) };
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
