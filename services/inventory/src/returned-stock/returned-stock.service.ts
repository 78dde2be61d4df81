import { Injectable, Logger } from '@nestjs/common';
import {
  RETURN_GRADES,
  type BookReturnedStock,
  type GradedLineValue,
  type ReturnedStockBooked,
  type ReturnedStockRefusal,
  type ReturnedStockRefused,
  type ReturnGrade,
} from '@skald/contracts';
import type { EntityManager } from 'typeorm';
import { CatalogService } from '../catalog/catalog.service.js';
import { compareIdentifiers } from '../common/identifiers.js';
import { BackordersService } from '../reservations/backorders.service.js';
import type { Movement } from '../stock/stock-movement.entity.js';
import { StockService } from '../stock/stock.service.js';
import { WarehousesService } from '../warehouses/warehouses.service.js';
import type { ReturnedStockBooking } from './returned-stock-booking.entity.js';
import { ReturnedStockRepository } from './returned-stock.repository.js';

/** What each grade does to the stock level, and under which ledger kind. */
const BOOKING: Record<ReturnGrade, (quantity: number) => Pick<Movement, 'kind' | 'onHandDelta' | 'reservedDelta' | 'quarantinedDelta' | 'writtenOff'>> = {
  // Sellable: back on hand, and available.
  A: (quantity) => ({ kind: 'return_restocked', onHandDelta: quantity, reservedDelta: 0 }),
  // Damaged: on hand, but quarantined, never available.
  B: (quantity) => ({ kind: 'return_quarantined', onHandDelta: quantity, reservedDelta: 0, quarantinedDelta: quantity }),
  // Scrap: never comes into stock; the ledger records the units.
  C: (quantity) => ({ kind: 'return_written_off', onHandDelta: 0, reservedDelta: 0, writtenOff: quantity }),
};

export interface BookingRequest extends BookReturnedStock {
  tenantId: string | null;
}

/** The answer to a book command: what was booked, or why nothing was. */
export type BookingAnswer = { kind: 'booked'; payload: ReturnedStockBooked } | { kind: 'refused'; payload: ReturnedStockRefused };

/**
 * Books a return's inspected goods into stock by grade, once per return: grade A back on hand
 * (and given to the orders waiting for the SKU, like received stock), B on hand but quarantined,
 * C written off. An SKU not in the catalog or an unknown warehouse refuses the whole return.
 */
@Injectable()
export class ReturnedStockService {
  private readonly logger = new Logger(ReturnedStockService.name);

  constructor(
    private readonly catalog: CatalogService,
    private readonly warehouses: WarehousesService,
    private readonly stock: StockService,
    private readonly backorders: BackordersService,
    private readonly bookings: ReturnedStockRepository,
  ) {}

  /**
   * Books, or refuses, within the caller's transaction; a re-sent command gets the first decision
   * (booked with its lines and time, or the same refusal) and changes nothing.
   */
  async book(manager: EntityManager, request: BookingRequest): Promise<BookingAnswer> {
    const { returnId, warehouse } = request;
    await this.bookings.lockReturn(manager, returnId);
    const previous = await this.bookings.find(manager, returnId);
    if (previous) {
      this.logger.log(`return ${returnId}: book command re-sent; answering the first decision (${previous.outcome})`);
      return answerOf(previous);
    }

    const lines = sumBySkuAndGrade(request.lines);
    const decision = { returnId, rmaNumber: request.rmaNumber, orderId: request.orderId, tenantId: request.tenantId, warehouse };
    const unknown = await this.catalog.unknownSkus(manager, lines.map((line) => line.sku));
    if (unknown.length > 0) {
      return this.refuse(manager, { ...decision, lines }, 'SKU_UNKNOWN', `Not in the catalog: ${unknown.join(', ')}.`);
    }
    if (!(await this.warehouses.exists(manager, warehouse))) {
      return this.refuse(manager, { ...decision, lines }, 'WAREHOUSE_UNKNOWN', `No warehouse ${warehouse}.`);
    }

    // Locks as a receipt takes them: the SKUs' allocation locks, then their levels in every
    // warehouse (restocked units may serve orders waiting for them from any warehouse's stock).
    const skus = [...new Set(lines.map((line) => line.sku))];
    await this.stock.lockSkus(manager, skus);
    await this.stock.openLevels(manager, warehouse, skus);
    await this.stock.lockForAllocation(manager, skus);
    for (const line of lines) {
      await this.stock.move(manager, { sku: line.sku, warehouse, orderId: request.orderId, reference: returnId, ...BOOKING[line.grade](line.quantity) });
    }
    const restocked = [...new Set(lines.filter((line) => line.grade === 'A').map((line) => line.sku))];
    const fills = await this.backorders.allocateWaiting(manager, restocked);
    const booking = await this.bookings.insert(manager, { ...decision, lines, outcome: 'booked', code: null, reason: null });
    this.logger.log(
      `return ${returnId} (${request.rmaNumber}): ${lines.length} line(s) booked into ${warehouse}` +
        (fills.length > 0 ? `; ${fills.length} backordered order(s) served` : ''),
    );
    return answerOf(booking);
  }

  private async refuse(
    manager: EntityManager,
    decision: Omit<ReturnedStockBooking, 'decidedAt' | 'outcome' | 'code' | 'reason'>,
    code: ReturnedStockRefusal,
    reason: string,
  ): Promise<BookingAnswer> {
    this.logger.warn(`return ${decision.returnId}: nothing booked, ${code} (${reason})`);
    return answerOf(await this.bookings.insert(manager, { ...decision, outcome: 'refused', code, reason }));
  }
}

/** The event a recorded decision is answered with (the first time and every time after). */
function answerOf(booking: ReturnedStockBooking): BookingAnswer {
  if (booking.outcome === 'refused') {
    return { kind: 'refused', payload: { returnId: booking.returnId, code: booking.code ?? 'SKU_UNKNOWN', reason: booking.reason ?? '' } };
  }
  return {
    kind: 'booked',
    payload: {
      returnId: booking.returnId,
      rmaNumber: booking.rmaNumber,
      orderId: booking.orderId,
      warehouse: booking.warehouse,
      lines: booking.lines.map(({ sku, grade, quantity }) => ({ sku, grade, quantity })),
      bookedAt: booking.decidedAt.toISOString(),
    },
  };
}

/** One line per SKU and grade (quantities added up), in lock order: SKU, then grade. */
function sumBySkuAndGrade(lines: readonly GradedLineValue[]): GradedLineValue[] {
  const totals = new Map<string, GradedLineValue>();
  for (const { sku, grade, quantity } of lines) {
    const key = `${sku}\u0000${grade}`;
    const line = totals.get(key);
    if (line) line.quantity += quantity;
    else totals.set(key, { sku, grade, quantity });
  }
  return [...totals.values()].sort(
    (a, b) => compareIdentifiers(a.sku, b.sku) || RETURN_GRADES.indexOf(a.grade) - RETURN_GRADES.indexOf(b.grade),
  );
}
