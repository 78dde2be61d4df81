import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { StockShipment } from './stock-shipment.entity.js';

@Injectable()
export class ShipmentRepository {
  /**
   * Records a note as applied.
   * @returns false when it was recorded before. A concurrent copy blocks on the primary key
   *          until the first transaction ends.
   */
  async recordOnce(manager: EntityManager, shipment: Omit<StockShipment, 'recordedAt'>): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `INSERT INTO stock_shipment (note_id, order_id, warehouse, shipment_id, shipped_at)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (note_id) DO NOTHING
       RETURNING note_id`,
      [shipment.noteId, shipment.orderId, shipment.warehouse, shipment.shipmentId, shipment.shippedAt],
    );
    return rows.length === 1;
  }
}
