import { Injectable } from '@nestjs/common';
import { entityColumns } from '@skald/persistence';
import type { EntityManager } from 'typeorm';
import { Shipment } from './shipment.entity.js';

/** A shipment's columns, named as its properties. */
const SHIPMENT = entityColumns(Shipment, {
  id: 'id',
  noteId: 'note_id',
  orderId: 'order_id',
  tenantId: 'tenant_id',
  carrier: 'carrier',
  trackingNumber: 'tracking_number',
  shippedAt: 'shipped_at',
  deliveredAt: 'delivered_at',
});

/**
 * Shipments. Every method runs in the caller's transaction (`manager`).
 *
 * `insert` and `byNote` run for every operator request on a note: plain SQL (rows read as
 * entities by entityColumns) on purpose, as TypeORM's query builder and hydration cost more CPU
 * than the statements.
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
    const rows: object[] = await manager.query(`SELECT ${SHIPMENT.list} FROM shipment WHERE id = $1`, [id]);
    return rows.length === 0 ? null : SHIPMENT.toEntity(rows[0]);
  }

  /** The shipment of each note that has one. */
  async byNote(manager: EntityManager, noteIds: string[]): Promise<Map<string, Shipment>> {
    if (noteIds.length === 0) return new Map();
    const rows: object[] = await manager.query(`SELECT ${SHIPMENT.list} FROM shipment WHERE note_id = ANY($1::uuid[])`, [noteIds]);
    return new Map(
      rows.map((row) => {
        const shipment = SHIPMENT.toEntity(row);
        return [shipment.noteId, shipment];
      }),
    );
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
