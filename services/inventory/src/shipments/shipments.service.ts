import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { sumBySku, type SkuQuantity } from '../common/quantities.js';
import { ReservationsService } from '../reservations/reservations.service.js';
import { StockService } from '../stock/stock.service.js';
import { ShipmentRepository } from './shipment.repository.js';

export interface ShippedNote {
  noteId: string;
  orderId: string;
  warehouse: string;
  shipmentId: string;
  shippedAt: Date;
  lines: readonly SkuQuantity[];
}

@Injectable()
export class ShipmentsService {
  private readonly logger = new Logger(ShipmentsService.name);

  constructor(
    private readonly reservations: ReservationsService,
    private readonly stock: StockService,
    private readonly shipments: ShipmentRepository,
  ) {}

  /**
   * Applies a shipped outbound note: for each SKU, the order's active reservations in that
   * warehouse are consumed and the units leave on-hand stock (`ship` ledger entries referencing
   * the note). A note is applied once; a redelivery changes nothing.
   * @returns false when the note had been applied before.
   * @throws SkaldError(RESERVATION_NOT_FOUND, not retryable) when a line is not covered by the
   *         order's active reservations there; nothing is applied.
   */
  async applyShipped(manager: EntityManager, note: ShippedNote): Promise<boolean> {
    const first = await this.shipments.recordOnce(manager, {
      noteId: note.noteId,
      orderId: note.orderId,
      warehouse: note.warehouse,
      shipmentId: note.shipmentId,
      shippedAt: note.shippedAt,
    });
    if (!first) {
      this.logger.log(`outbound note ${note.noteId} was applied to stock before; nothing to do`);
      return false;
    }
    const shipped = sumBySku(note.lines);
    await this.stock.lockIn(manager, note.warehouse, [...shipped.keys()]);
    for (const [sku, quantity] of shipped) {
      await this.reservations.consume(manager, {
        orderId: note.orderId,
        warehouse: note.warehouse,
        sku,
        quantity,
        reference: note.noteId,
      });
      await this.stock.move(manager, {
        sku,
        warehouse: note.warehouse,
        kind: 'ship',
        onHandDelta: -quantity,
        reservedDelta: -quantity,
        orderId: note.orderId,
        reference: note.noteId,
      });
    }
    this.logger.log(`outbound note ${note.noteId} (order ${note.orderId}) shipped ${shipped.size} SKU(s) from ${note.warehouse}`);
    return true;
  }
}
