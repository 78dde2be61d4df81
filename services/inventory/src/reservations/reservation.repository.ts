import { Injectable } from '@nestjs/common';
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

/** The columns of a reservation, as `toReservation` reads them. */
const RESERVATION_COLUMNS = `id, order_id, attempt, tenant_id, sku, warehouse, quantity, status, split_from, settled_reference,
  created_at, settled_at, expires_at, expiry_notified_at`;

interface ReservationRow {
  id: string;
  order_id: string;
  attempt: number;
  tenant_id: string | null;
  sku: string;
  warehouse: string;
  quantity: number;
  status: ReservationStatus;
  split_from: string | null;
  settled_reference: string | null;
  created_at: Date;
  settled_at: Date | null;
  expires_at: Date | null;
  expiry_notified_at: Date | null;
}

function toReservation(row: ReservationRow): Reservation {
  const reservation = new Reservation();
  reservation.id = row.id;
  reservation.orderId = row.order_id;
  reservation.attempt = row.attempt;
  reservation.tenantId = row.tenant_id;
  reservation.sku = row.sku;
  reservation.warehouse = row.warehouse;
  reservation.quantity = row.quantity;
  reservation.status = row.status;
  reservation.splitFrom = row.split_from;
  reservation.settledReference = row.settled_reference;
  reservation.createdAt = row.created_at;
  reservation.settledAt = row.settled_at;
  reservation.expiresAt = row.expires_at;
  reservation.expiryNotifiedAt = row.expiry_notified_at;
  return reservation;
}

interface RequestRow {
  order_id: string;
  attempt: number;
  on_shortage: ReservationRequest['onShortage'];
  correlation_id: string | null;
  hold_until: Date | null;
  tenant_id: string | null;
  lines: ReservationRequest['lines'];
  outcome: ReservationRequest['outcome'];
  reason: ReservationRequest['reason'];
  shortages: ReservationRequest['shortages'];
  unavailable: ReservationRequest['unavailable'];
  requested_at: Date;
}

function toRequest(row: RequestRow): ReservationRequest {
  const request = new ReservationRequest();
  request.orderId = row.order_id;
  request.attempt = row.attempt;
  request.onShortage = row.on_shortage;
  request.correlationId = row.correlation_id;
  request.holdUntil = row.hold_until;
  request.tenantId = row.tenant_id;
  request.lines = row.lines;
  request.outcome = row.outcome;
  request.reason = row.reason;
  request.shortages = row.shortages;
  request.unavailable = row.unavailable;
  request.requestedAt = row.requested_at;
  return request;
}

const json = (value: unknown): string | null => (value === null || value === undefined ? null : JSON.stringify(value));

/**
 * Reservations and reserve decisions. Reservation rows are locked after the stock levels they
 * belong to, in (sku, warehouse, created_at, id) order — the order shipments lock them in too.
 *
 * The methods a reserve, consume or release command runs are plain SQL with explicit row mapping
 * on purpose: they run for every message, and TypeORM's query builder and hydration cost more CPU
 * than the statements themselves.
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
    const [row] = await manager.query<
      Array<
        Partial<RequestRow> & {
          released_order_id: string | null;
          released_tenant_id: string | null;
          released_reason: string | null;
          released_at: Date | null;
          latest_attempt: number | null;
        }
      >
    >(
      `SELECT r.order_id AS released_order_id, r.tenant_id AS released_tenant_id, r.reason AS released_reason, r.released_at,
              q.order_id, q.attempt, q.on_shortage, q.correlation_id, q.hold_until, q.tenant_id, q.lines, q.outcome, q.reason,
              q.shortages, q.unavailable, q.requested_at,
              (SELECT max(m.attempt) FROM reservation_request m WHERE m.order_id = $1) AS latest_attempt
         FROM (SELECT 1) AS one
         LEFT JOIN released_order r ON r.order_id = $1
         LEFT JOIN reservation_request q ON q.order_id = $1 AND q.attempt = $2`,
      [orderId, attempt],
    );
    let released: ReleasedOrder | null = null;
    if (row.released_order_id !== null) {
      released = new ReleasedOrder();
      released.orderId = row.released_order_id;
      released.tenantId = row.released_tenant_id;
      released.reason = row.released_reason as string;
      released.releasedAt = row.released_at as Date;
    }
    return {
      released,
      request: row.order_id === null || row.order_id === undefined ? null : toRequest(row as RequestRow),
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
    const rows = await manager.query<ReservationRow[]>(
      `SELECT ${RESERVATION_COLUMNS} FROM reservation
        WHERE order_id = $1 AND status = 'active' AND ($2::int IS NULL OR attempt = $2::int)
        ORDER BY sku, warehouse, created_at, id`,
      [orderId, attempt ?? null],
    );
    return rows.map(toReservation);
  }

  /**
   * Locks the order's active reservations (all, or those of `ids`) in lock order. The caller
   * holds the locks of their stock levels already.
   */
  async lockActiveOfOrder(manager: EntityManager, orderId: string, ids?: readonly string[]): Promise<Reservation[]> {
    if (ids !== undefined && ids.length === 0) return [];
    const rows = await manager.query<ReservationRow[]>(
      `SELECT ${RESERVATION_COLUMNS} FROM reservation
        WHERE order_id = $1 AND status = 'active' AND ($2::uuid[] IS NULL OR id = ANY($2::uuid[]))
        ORDER BY sku, warehouse, created_at, id
        FOR UPDATE`,
      [orderId, ids === undefined ? null : [...ids]],
    );
    return rows.map(toReservation);
  }

  /** Locks the order's active reservations of an SKU in a warehouse, oldest first. */
  async lockActive(manager: EntityManager, orderId: string, warehouse: string, sku: string): Promise<Reservation[]> {
    const rows = await manager.query<ReservationRow[]>(
      `SELECT ${RESERVATION_COLUMNS} FROM reservation
        WHERE order_id = $1 AND warehouse = $2 AND sku = $3 AND status = 'active'
        ORDER BY created_at, id
        FOR UPDATE`,
      [orderId, warehouse, sku],
    );
    return rows.map(toReservation);
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
      Array<Pick<ReservationRow, 'id' | 'order_id' | 'attempt' | 'tenant_id' | 'sku' | 'warehouse' | 'quantity'> & { correlation_id: string | null }>,
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

  /** Records that the order was released as a whole (once; a re-sent release keeps the first reason). */
  async recordReleased(manager: EntityManager, release: Pick<ReleasedOrder, 'orderId' | 'tenantId' | 'reason'>): Promise<void> {
    await manager.query(`INSERT INTO released_order (order_id, tenant_id, reason) VALUES ($1, $2, $3) ON CONFLICT (order_id) DO NOTHING`, [
      release.orderId,
      release.tenantId,
      release.reason,
    ]);
  }
}
