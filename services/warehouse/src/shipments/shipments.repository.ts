import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Shipment } from './shipment.entity.js';

interface ShipmentRow {
  id: string;
  note_id: string;
  order_id: string;
  tenant_id: string | null;
  carrier: string;
  tracking_number: string;
  shipped_at: Date;
  delivered_at: Date | null;
}

function toShipment(row: ShipmentRow): Shipment {
  const shipment = new Shipment();
  shipment.id = row.id;
  shipment.noteId = row.note_id;
  shipment.orderId = row.order_id;
  shipment.tenantId = row.tenant_id;
  shipment.carrier = row.carrier;
  shipment.trackingNumber = row.tracking_number;
  shipment.shippedAt = row.shipped_at;
  shipment.deliveredAt = row.delivered_at;
  return shipment;
}

/**
 * Shipments. Every method runs in the caller's transaction (`manager`).
 *
 * `insert` and `byNote` run for every operator request on a note: plain SQL with explicit row
 * mapping on purpose, as TypeORM's query builder and hydration cost more CPU than the statements.
 */
@Injectable()
export class ShipmentsRepository {
  async insert(manager: EntityManager, shipment: Shipment): Promise<void> {
    await manager.query(
      `INSERT INTO shipment (id, note_id, order_id, tenant_id, carrier, tracking_number, shipped_at, delivered_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        shipment.id,
        shipment.noteId,
        shipment.orderId,
        shipment.tenantId,
        shipment.carrier,
        shipment.trackingNumber,
        shipment.shippedAt,
        shipment.deliveredAt,
      ],
    );
  }

  async findById(manager: EntityManager, id: string): Promise<Shipment | null> {
    const rows = await manager.query<ShipmentRow[]>(
      `SELECT id, note_id, order_id, tenant_id, carrier, tracking_number, shipped_at, delivered_at FROM shipment WHERE id = $1`,
      [id],
    );
    return rows.length === 0 ? null : toShipment(rows[0]);
  }

  /** The shipment of each note that has one. */
  async byNote(manager: EntityManager, noteIds: string[]): Promise<Map<string, Shipment>> {
    if (noteIds.length === 0) return new Map();
    const rows = await manager.query<ShipmentRow[]>(
      `SELECT id, note_id, order_id, tenant_id, carrier, tracking_number, shipped_at, delivered_at FROM shipment WHERE note_id = ANY($1::uuid[])`,
      [noteIds],
    );
    return new Map(rows.map((row) => [row.note_id, toShipment(row)]));
  }

  /**
   * Records the delivery only if none is recorded yet and `at` is not before the shipment left:
   * of two racing callbacks exactly one records it. Returns whether this call recorded it.
   */
  async markDelivered(manager: EntityManager, id: string, at: Date): Promise<boolean> {
    // TypeORM answers an UPDATE on PostgreSQL with [rows, affected count].
    const [, affected]: [unknown[], number] = await manager.query(
      `UPDATE shipment SET delivered_at = $2 WHERE id = $1 AND delivered_at IS NULL AND shipped_at <= $2`,
      [id, at],
    );
    return affected === 1;
  }
}
