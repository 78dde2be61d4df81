import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Reservation, ReservationRequest, type ReservationStatus } from './reservation.entity.js';

export type NewReservation = Pick<Reservation, 'id' | 'orderId' | 'tenantId' | 'sku' | 'warehouse' | 'quantity'>;

@Injectable()
export class ReservationRepository {
  /**
   * Serialises the handling of one order's reserve commands until the transaction ends (two
   * copies of a command racing must not both reserve). Taken before any stock lock.
   */
  async lockOrder(manager: EntityManager, orderId: string): Promise<void> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended('inventory.reservation:' || $1, 0))`, [orderId]);
  }

  findRequest(manager: EntityManager, orderId: string): Promise<ReservationRequest | null> {
    return manager.getRepository(ReservationRequest).findOneBy({ orderId });
  }

  async recordRequest(manager: EntityManager, request: Omit<ReservationRequest, 'requestedAt'>): Promise<void> {
    await manager.getRepository(ReservationRequest).insert(request);
  }

  async insert(manager: EntityManager, reservations: readonly NewReservation[]): Promise<void> {
    if (reservations.length === 0) return;
    await manager.getRepository(Reservation).insert(reservations.map((r) => ({ ...r, status: 'active' as const })));
  }

  activeOfOrder(manager: EntityManager, orderId: string): Promise<Reservation[]> {
    return manager.getRepository(Reservation).find({
      where: { orderId, status: 'active' },
      order: { sku: 'ASC', warehouse: 'ASC', createdAt: 'ASC', id: 'ASC' },
    });
  }

  /** Locks the order's active reservations of an SKU in a warehouse, oldest first. */
  lockActive(manager: EntityManager, orderId: string, warehouse: string, sku: string): Promise<Reservation[]> {
    return manager
      .getRepository(Reservation)
      .createQueryBuilder('r')
      .where('r.orderId = :orderId AND r.warehouse = :warehouse AND r.sku = :sku AND r.status = :status', {
        orderId,
        warehouse,
        sku,
        status: 'active',
      })
      .orderBy('r.createdAt', 'ASC')
      .addOrderBy('r.id', 'ASC')
      .setLock('pessimistic_write')
      .getMany();
  }

  /** Ends an active reservation (consumed or released) with what settled it. */
  async settle(manager: EntityManager, id: string, status: Exclude<ReservationStatus, 'active'>, reference: string): Promise<void> {
    await manager.query(
      `UPDATE reservation SET status = $2, settled_reference = $3, settled_at = now() WHERE id = $1 AND status = 'active'`,
      [id, status, reference],
    );
  }

  /**
   * Settles part of an active reservation: the reservation keeps the rest (and its id, which
   * other services know), and the settled part becomes a reservation of its own.
   */
  async settlePart(
    manager: EntityManager,
    reservation: Reservation,
    quantity: number,
    status: Exclude<ReservationStatus, 'active'>,
    reference: string,
    newId: string,
  ): Promise<void> {
    await manager.query(`UPDATE reservation SET quantity = quantity - $2 WHERE id = $1 AND status = 'active'`, [
      reservation.id,
      quantity,
    ]);
    await manager.query(
      `INSERT INTO reservation (id, order_id, tenant_id, sku, warehouse, quantity, status, split_from, settled_reference, settled_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, now())`,
      [
        newId,
        reservation.orderId,
        reservation.tenantId,
        reservation.sku,
        reservation.warehouse,
        quantity,
        status,
        reservation.id,
        reference,
      ],
    );
  }
}
