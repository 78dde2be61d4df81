import { Injectable } from '@nestjs/common';
import { entityColumns } from '@skald/persistence';
import type { EntityManager } from 'typeorm';
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

/** A reservation's columns, named as its properties. */
const RESERVATION = entityColumns(Reservation, {
  id: 'id',
  orderId: 'order_id',
  attempt: 'attempt',
  tenantId: 'tenant_id',
  sku: 'sku',
  warehouse: 'warehouse',
  quantity: 'quantity',
  status: 'status',
  splitFrom: 'split_from',
  settledReference: 'settled_reference',
  createdAt: 'created_at',
  settledAt: 'settled_at',
  expiresAt: 'expires_at',
  expiryNotifiedAt: 'expiry_notified_at',
});

/** A reserve decision's columns, named as its properties (lines, shortages, unavailable: jsonb, parsed). */
const REQUEST = entityColumns(ReservationRequest, {
  orderId: 'order_id',
  attempt: 'attempt',
  onShortage: 'on_shortage',
  correlationId: 'correlation_id',
  holdUntil: 'hold_until',
  tenantId: 'tenant_id',
  lines: 'lines',
  outcome: 'outcome',
  reason: 'reason',
  shortages: 'shortages',
  unavailable: 'unavailable',
  requestedAt: 'requested_at',
});

/** An order's release tombstone's columns, named as its properties. */
const RELEASED = entityColumns(ReleasedOrder, { orderId: 'order_id', tenantId: 'tenant_id', reason: 'reason', releasedAt: 'released_at' });

const json = (value: unknown): string | null => (value === null || value === undefined ? null : JSON.stringify(value));

/**
 * Reservations and reserve decisions. Reservation rows are locked after the stock levels they
 * belong to, in (sku, warehouse, created_at, id) order — the order shipments lock them in too.
 *
 * The methods a reserve, consume or release command runs are plain SQL, their rows read as
 * entities by entityColumns, on purpose: they run for every message, and TypeORM's query builder
 * and hydration cost more CPU than the statements themselves.
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

  /**
   * What a reserve command of `attempt` must know before deciding, in one round trip: the order's
   * release tombstone (if it was released as a whole), the decision of this attempt (if one was
   * made), and the highest attempt decided so far (0: none). Read under the order's lock.
   */
  async decisionState(
    manager: EntityManager,
    orderId: string,
    attempt: number,
  ): Promise<{ released: ReleasedOrder | null; request: ReservationRequest | null; latestAttempt: number }> {
    type Row = Record<string, unknown> & { 'released.orderId': string | null; 'request.orderId': string | null; latest_attempt: number | null };
    const [row] = await manager.query<Row[]>(
      `SELECT ${RELEASED.listOf('r', 'released.')}, ${REQUEST.listOf('q', 'request.')},
              (SELECT max(m.attempt) FROM reservation_request m WHERE m.order_id = $1) AS latest_attempt
         FROM (SELECT 1) AS one
         LEFT JOIN released_order r ON r.order_id = $1
         LEFT JOIN reservation_request q ON q.order_id = $1 AND q.attempt = $2`,
      [orderId, attempt],
    );
    return {
      released: row['released.orderId'] === null ? null : RELEASED.toEntity(row, 'released.'),
      request: row['request.orderId'] === null ? null : REQUEST.toEntity(row, 'request.'),
      latestAttempt: row.latest_attempt ?? 0,
    };
  }

  async recordRequest(manager: EntityManager, request: Omit<ReservationRequest, 'requestedAt'>): Promise<void> {
    await manager.query(
      `INSERT INTO reservation_request
         (order_id, attempt, tenant_id, correlation_id, on_shortage, hold_until, lines, outcome, reason, shortages, unavailable)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9, $10::jsonb, $11::jsonb)`,
      [
        request.orderId,
        request.attempt,
        request.tenantId,
        request.correlationId,
        request.onShortage,
        request.holdUntil,
        json(request.lines),
        request.outcome,
        request.reason,
        json(request.shortages),
        json(request.unavailable),
      ],
    );
  }

  /** Inserts the reservations, active, in one multi-row statement. */
  async insert(manager: EntityManager, reservations: readonly NewReservation[]): Promise<void> {
    if (reservations.length === 0) return;
    await manager.query(
      `INSERT INTO reservation (id, order_id, attempt, tenant_id, sku, warehouse, quantity, expires_at, status)
       SELECT id, order_id, attempt, tenant_id, sku, warehouse, quantity, expires_at, 'active'
         FROM unnest($1::uuid[], $2::text[], $3::int[], $4::text[], $5::text[], $6::text[], $7::int[], $8::timestamptz[])
           AS r(id, order_id, attempt, tenant_id, sku, warehouse, quantity, expires_at)`,
      [
        reservations.map((r) => r.id),
        reservations.map((r) => r.orderId),
        reservations.map((r) => r.attempt),
        reservations.map((r) => r.tenantId),
        reservations.map((r) => r.sku),
        reservations.map((r) => r.warehouse),
        reservations.map((r) => r.quantity),
        reservations.map((r) => r.expiresAt),
      ],
    );
  }

  /** The order's active reservations (of one attempt, or all), by SKU, warehouse, then age. */
  async activeOfOrder(manager: EntityManager, orderId: string, attempt?: number): Promise<Reservation[]> {
    const rows: object[] = await manager.query(
      `SELECT ${RESERVATION.list} FROM reservation
        WHERE order_id = $1 AND status = 'active' AND ($2::int IS NULL OR attempt = $2::int)
        ORDER BY sku, warehouse, created_at, id`,
      [orderId, attempt ?? null],
    );
    return rows.map((row) => RESERVATION.toEntity(row));
  }

  /**
   * Locks the order's active reservations (all, or those of `ids`) in lock order. The caller
   * holds the locks of their stock levels already.
   */
  async lockActiveOfOrder(manager: EntityManager, orderId: string, ids?: readonly string[]): Promise<Reservation[]> {
    if (ids !== undefined && ids.length === 0) return [];
    const rows: object[] = await manager.query(
      `SELECT ${RESERVATION.list} FROM reservation
        WHERE order_id = $1 AND status = 'active' AND ($2::uuid[] IS NULL OR id = ANY($2::uuid[]))
        ORDER BY sku, warehouse, created_at, id
        FOR UPDATE`,
      [orderId, ids === undefined ? null : [...ids]],
    );
    return rows.map((row) => RESERVATION.toEntity(row));
  }

  /** Locks the order's active reservations of an SKU in a warehouse, oldest first. */
  async lockActive(manager: EntityManager, orderId: string, warehouse: string, sku: string): Promise<Reservation[]> {
    const rows: object[] = await manager.query(
      `SELECT ${RESERVATION.list} FROM reservation
        WHERE order_id = $1 AND warehouse = $2 AND sku = $3 AND status = 'active'
        ORDER BY created_at, id
        FOR UPDATE`,
      [orderId, warehouse, sku],
    );
    return rows.map((row) => RESERVATION.toEntity(row));
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
    // Not an entity: the columns are named as ExpiredReservation's properties, and the rows are those.
    const [rows]: [ExpiredReservation[], number] = await manager.query(
      `WITH due AS (
         SELECT id FROM reservation
          WHERE status = 'active' AND expiry_notified_at IS NULL AND expires_at < now()
          ORDER BY expires_at
          LIMIT $1
          FOR UPDATE SKIP LOCKED)
       UPDATE reservation r SET expiry_notified_at = now()
         FROM due, reservation_request q
        WHERE r.id = due.id AND q.order_id = r.order_id AND q.attempt = r.attempt
       RETURNING r.id, r.order_id AS "orderId", r.attempt, r.tenant_id AS "tenantId", r.sku, r.warehouse, r.quantity, q.correlation_id AS "correlationId"`,
      [limit],
    );
    return rows;
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
