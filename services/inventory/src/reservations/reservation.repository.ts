import { Injectable } from '@nestjs/common';
import { In, type EntityManager } from 'typeorm';
import { ReleasedOrder } from './backorder-line.entity.js';
import { Reservation, ReservationRequest, type ReservationStatus } from './reservation.entity.js';

export type NewReservation = Pick<Reservation, 'id' | 'orderId' | 'attempt' | 'tenantId' | 'sku' | 'warehouse' | 'quantity' | 'expiresAt'>;

/** An active reservation whose hold ran out, claimed by the sweeper, with what its saga needs. */
export interface ExpiredReservation {
  id: string;
  orderId: string;
  attempt: number;
  tenantId: string | null;
  sku: string;
  warehouse: string;
  quantity: number;
  correlationId: string | null;
}

/**
 * Reservations and reserve decisions. Reservation rows are locked after the stock levels they
 * belong to, in (sku, warehouse, created_at, id) order — the order shipments lock them in too.
 */
@Injectable()
export class ReservationRepository {
  /**
   * Serialises the handling of one order's reserve and release commands until the transaction
   * ends (two copies of a command racing must not both act). Taken before any stock lock.
   */
  async lockOrder(manager: EntityManager, orderId: string): Promise<void> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended('inventory.reservation:' || $1, 0))`, [orderId]);
  }

  findRequest(manager: EntityManager, orderId: string, attempt: number): Promise<ReservationRequest | null> {
    return manager.getRepository(ReservationRequest).findOneBy({ orderId, attempt });
  }

  /** The highest attempt of the order decided so far (0: none). */
  async latestAttempt(manager: EntityManager, orderId: string): Promise<number> {
    const [row]: Array<{ attempt: number | null }> = await manager.query(
      `SELECT max(attempt) AS attempt FROM reservation_request WHERE order_id = $1`,
      [orderId],
    );
    return row?.attempt ?? 0;
  }

  async recordRequest(manager: EntityManager, request: Omit<ReservationRequest, 'requestedAt'>): Promise<void> {
    await manager.getRepository(ReservationRequest).insert(request);
  }

  async insert(manager: EntityManager, reservations: readonly NewReservation[]): Promise<void> {
    if (reservations.length === 0) return;
    await manager.getRepository(Reservation).insert(reservations.map((r) => ({ ...r, status: 'active' as const })));
  }

  /** The order's active reservations (of one attempt, or all), by SKU, warehouse, then age. */
  activeOfOrder(manager: EntityManager, orderId: string, attempt?: number): Promise<Reservation[]> {
    return manager.getRepository(Reservation).find({
      where: attempt === undefined ? { orderId, status: 'active' } : { orderId, attempt, status: 'active' },
      order: { sku: 'ASC', warehouse: 'ASC', createdAt: 'ASC', id: 'ASC' },
    });
  }

  /**
   * Locks the order's active reservations (all, or those of `ids`) in lock order. The caller
   * holds the locks of their stock levels already.
   */
  lockActiveOfOrder(manager: EntityManager, orderId: string, ids?: readonly string[]): Promise<Reservation[]> {
    if (ids !== undefined && ids.length === 0) return Promise.resolve([]);
    const query = manager
      .getRepository(Reservation)
      .createQueryBuilder('r')
      .where('r.orderId = :orderId AND r.status = :status', { orderId, status: 'active' });
    if (ids !== undefined) query.andWhere({ id: In([...ids]) });
    return query
      .orderBy('r.sku', 'ASC')
      .addOrderBy('r.warehouse', 'ASC')
      .addOrderBy('r.createdAt', 'ASC')
      .addOrderBy('r.id', 'ASC')
      .setLock('pessimistic_write')
      .getMany();
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
      `INSERT INTO reservation
         (id, order_id, attempt, tenant_id, sku, warehouse, quantity, status, split_from, settled_reference, settled_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, now())`,
      [
        newId,
        reservation.orderId,
        reservation.attempt,
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

  /**
   * Pins the order's active reservations in a warehouse (no expiry): their outbound note was
   * confirmed, the goods are on their way out. Locks them in lock order first.
   * @returns how many were still held with an expiry.
   */
  async pin(manager: EntityManager, orderId: string, warehouse: string): Promise<number> {
    const [, count]: [unknown[], number] = await manager.query(
      `WITH held AS (
         SELECT id FROM reservation
          WHERE order_id = $1 AND warehouse = $2 AND status = 'active' AND expires_at IS NOT NULL
          ORDER BY sku, warehouse, created_at, id
          FOR UPDATE)
       UPDATE reservation r SET expires_at = NULL FROM held WHERE r.id = held.id`,
      [orderId, warehouse],
    );
    return count;
  }

  /**
   * Claims up to `limit` active reservations past their hold that the saga was not told about,
   * skipping rows another sweeper (or any writer) holds, and marks them notified. The claim
   * commits with the caller's transaction, with the notification in the outbox.
   */
  async claimExpired(manager: EntityManager, limit: number): Promise<ExpiredReservation[]> {
    const [rows]: [
      Array<{
        id: string;
        order_id: string;
        attempt: number;
        tenant_id: string | null;
        sku: string;
        warehouse: string;
        quantity: number;
        correlation_id: string | null;
      }>,
      number,
    ] = await manager.query(
      `WITH due AS (
         SELECT id FROM reservation
          WHERE status = 'active' AND expiry_notified_at IS NULL AND expires_at < now()
          ORDER BY expires_at
          LIMIT $1
          FOR UPDATE SKIP LOCKED)
       UPDATE reservation r SET expiry_notified_at = now()
         FROM due, reservation_request q
        WHERE r.id = due.id AND q.order_id = r.order_id AND q.attempt = r.attempt
       RETURNING r.id, r.order_id, r.attempt, r.tenant_id, r.sku, r.warehouse, r.quantity, q.correlation_id`,
      [limit],
    );
    return rows.map((row) => ({
      id: row.id,
      orderId: row.order_id,
      attempt: row.attempt,
      tenantId: row.tenant_id,
      sku: row.sku,
      warehouse: row.warehouse,
      quantity: row.quantity,
      correlationId: row.correlation_id,
    }));
  }

  /** The tombstone of an order released as a whole, if it was. */
  releasedOrder(manager: EntityManager, orderId: string): Promise<ReleasedOrder | null> {
    return manager.getRepository(ReleasedOrder).findOneBy({ orderId });
  }

  /** Records that the order was released as a whole (once; a re-sent release keeps the first reason). */
  async recordReleased(manager: EntityManager, release: Pick<ReleasedOrder, 'orderId' | 'tenantId' | 'reason'>): Promise<void> {
    await manager.query(`INSERT INTO released_order (order_id, tenant_id, reason) VALUES ($1, $2, $3) ON CONFLICT (order_id) DO NOTHING`, [
      release.orderId,
      release.tenantId,
      release.reason,
    ]);
  }
}
