import { Injectable } from '@nestjs/common';
import type { OrderStatus } from '@skald/contracts';
import type { SagaSubject } from '@skald/saga';
import type { EntityManager } from 'typeorm';
import { OrderOutboundNoteEntity, OrderReservationEntity, OrderShipmentEntity } from './fulfilment.entities.js';
import { OrderLineEntity } from './order-line.entity.js';
import { OrderEntity, type ReviewRecord, type ShortagePolicy } from './order.entity.js';
import { OrderStatusEntryEntity } from './order-status-entry.entity.js';

/** Statuses after which an order no longer counts as open (credit exposure, lists). */
export const CLOSED_STATUSES: readonly OrderStatus[] = ['rejected', 'cancelled', 'delivered'];

export interface OrderListFilter {
  tenantId?: string;
  status?: OrderStatus;
  channel?: string;
  customerId?: string;
  after?: { createdAt: Date; id: string };
  limit: number;
}

/** An order with the parts its API view shows (OrdersRepository.withDetails). */
export interface OrderWithDetails {
  order: OrderEntity;
  lines: OrderLineEntity[];
  history: OrderStatusEntryEntity[];
  reservations: OrderReservationEntity[];
  notes: OrderOutboundNoteEntity[];
  shipments: OrderShipmentEntity[];
}

/** withDetails' JSON columns, as pg parses them (times as ISO 8601 text, the history's bigint id as a number). */
type Json<T, Times extends keyof T> = Omit<T, Times> & { [K in Times]: T[K] extends Date ? string : string | null };
interface DetailColumns {
  detailLines: OrderLineEntity[];
  detailHistory: Array<Omit<Json<OrderStatusEntryEntity, 'at'>, 'id'> & { id: number }>;
  detailReservations: OrderReservationEntity[];
  detailNotes: Array<Json<OrderOutboundNoteEntity, 'updatedAt'>>;
  detailShipments: Array<Json<OrderShipmentEntity, 'shippedAt' | 'deliveredAt'>>;
}

/*
 * The saga's hot path (every message to the order saga: lock, lines, status, notes, reservations,
 * shipments) is plain parameterised SQL with explicit row → entity mapping rather than TypeORM's
 * query builder or repository: building, escaping and hydrating a query there costs more CPU than
 * the statement itself (about half of the service's busy time under bench:orders). The column
 * lists name each column as the entity's property; pg gives jsonb parsed, timestamptz as Date,
 * int as number, numeric and bigint as strings, as TypeORM did; a date column is read as text.
 * The order's columns are those of `sales_order o` (qualified: its lock joins the saga).
 */
const ORDER_COLUMNS = `o.id, o.tenant_id AS "tenantId", o.external_id AS "externalId", o.channel, o.status, o.customer_id AS "customerId", o.customer,
  o.currency, o.total_amount AS "totalAmount", o.shipping_address AS "shippingAddress", o.payment_method AS "paymentMethod",
  o.payment_status AS "paymentStatus", o.payment_amount AS "paymentAmount", o.requested_delivery_date::text AS "requestedDeliveryDate", o.review,
  o.shortage_policy AS "shortagePolicy", o.replacement_for AS "replacementFor", o.created_at AS "createdAt", o.updated_at AS "updatedAt"`;
// unit_price as text, as pg gives a numeric anyway: the same in a JSON part of withDetails.
const LINE_COLUMNS = `order_id AS "orderId", line_no AS "lineNo", sku, quantity, unit_price::text AS "unitPrice", cancelled_quantity AS "cancelledQuantity"`;
const HISTORY_COLUMNS = `id, order_id AS "orderId", status, reason, at`;
const RESERVATION_COLUMNS = `reservation_id AS "reservationId", order_id AS "orderId", warehouse, sku, quantity, batch, released`;
const NOTE_COLUMNS = `note_id AS "noteId", order_id AS "orderId", warehouse, status, batch, lines, updated_at AS "updatedAt"`;
const SHIPMENT_COLUMNS = `shipment_id AS "shipmentId", order_id AS "orderId", note_id AS "noteId", warehouse, carrier, tracking_number AS "trackingNumber",
  shipped_at AS "shippedAt", delivered_at AS "deliveredAt"`;

/**
 * One part of withDetails: the order's rows of `table` (its `columns`, named as the entity's
 * properties) as a JSON array in `order` (by those names); empty, not null, when there are none.
 */
function detailPart(columns: string, table: string, order: string): string {
  return `(SELECT coalesce(json_agg(p ORDER BY ${order}), '[]') FROM (SELECT ${columns} FROM ${table} WHERE order_id = o.id) p)`;
}

/**
 * The order's ($2) notes after a statement wrote a note in the CTE `written` (RETURNING
 * NOTE_COLUMNS): the row it wrote as it is now, the others as they were (a statement does not see
 * what its own CTE wrote); ordered as `notes` orders them.
 */
const NOTES_AFTER_WRITTEN = `
  SELECT * FROM written WHERE "orderId" = $2
  UNION ALL
  SELECT ${NOTE_COLUMNS} FROM order_outbound_note WHERE order_id = $2 AND note_id NOT IN (SELECT "noteId" FROM written)
  ORDER BY batch, warehouse`;

/** An UPDATE's affected rows (TypeORM's `query` gives an UPDATE or DELETE as [rows, count]). */
function affected(result: unknown): number {
  return (result as [unknown, number])[1];
}

/** The order aggregate's tables: order, lines, status history, and the fulfilment replicas. */
@Injectable()
export class OrdersRepository {
  /**
   * Inserts a new order unless its platform has one with its externalId (a concurrent one is
   * waited for). The transaction stays usable either way. @returns false when it had one.
   */
  async insertNew(manager: EntityManager, order: OrderEntity, lines: OrderLineEntity[]): Promise<boolean> {
    // Plain SQL, one statement: every placed order's hot path. The lines are inserted only when the
    // order is (they join the order's RETURNING), passed as one array per column so that the text
    // is the same for any number of lines (a prepared statement, parsed once per connection).
    const [row] = await manager.query<Array<{ inserted: number }>>(
      `WITH inserted AS (
         INSERT INTO sales_order (id, tenant_id, external_id, channel, status, customer_id, customer, currency, total_amount,
                                  shipping_address, payment_method, payment_status, payment_amount, requested_delivery_date,
                                  review, shortage_policy, replacement_for, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
         ON CONFLICT DO NOTHING
         RETURNING id
       ), written_lines AS (
         INSERT INTO order_line (order_id, line_no, sku, quantity, unit_price, cancelled_quantity)
         SELECT inserted.id, line.line_no, line.sku, line.quantity, line.unit_price, line.cancelled_quantity
           FROM inserted, unnest($20::int[], $21::text[], $22::int[], $23::numeric[], $24::int[])
                AS line (line_no, sku, quantity, unit_price, cancelled_quantity)
       )
       SELECT count(*)::int AS inserted FROM inserted`,
      [
        order.id,
        order.tenantId,
        order.externalId,
        order.channel,
        order.status,
        order.customerId,
        JSON.stringify(order.customer),
        order.currency,
        order.totalAmount,
        JSON.stringify(order.shippingAddress),
        order.paymentMethod,
        order.paymentStatus,
        order.paymentAmount,
        order.requestedDeliveryDate,
        order.review === null ? null : JSON.stringify(order.review),
        order.shortagePolicy === null ? null : JSON.stringify(order.shortagePolicy),
        order.replacementFor === null ? null : JSON.stringify(order.replacementFor),
        order.createdAt,
        order.updatedAt,
        lines.map((line) => line.lineNo),
        lines.map((line) => line.sku),
        lines.map((line) => line.quantity),
        lines.map((line) => line.unitPrice),
        lines.map((line) => line.cancelledQuantity),
      ],
    );
    return row.inserted === 1;
  }

  findByExternalId(manager: EntityManager, tenantId: string, externalId: string): Promise<OrderEntity | null> {
    return manager.findOneBy(OrderEntity, { tenantId, externalId });
  }

  async findById(manager: EntityManager, id: string): Promise<OrderEntity | null> {
    const rows: OrderEntity[] = await manager.query(`SELECT ${ORDER_COLUMNS} FROM sales_order o WHERE o.id = $1`, [id]);
    return rows[0] ?? null;
  }

  /** The order, locked until the transaction ends: one saga step at a time per order. */
  async lock(manager: EntityManager, id: string): Promise<OrderEntity | null> {
    const rows: OrderEntity[] = await manager.query(`SELECT ${ORDER_COLUMNS} FROM sales_order o WHERE o.id = $1 FOR UPDATE`, [id]);
    return rows[0] ?? null;
  }

  /** The order as the subject of its saga: locked with the saga in one statement (SagaStore.lockWithSubject). */
  readonly sagaSubject: SagaSubject = { table: 'sales_order', alias: 'o', columns: ORDER_COLUMNS };

  /**
   * The order and everything `GET /v1/orders/{id}` shows of it (lines, status history,
   * reservations, outbound notes, shipments) in one statement: each part a JSON array built by
   * PostgreSQL, in the order the separate reads gave. One round trip and one pooled connection
   * instead of six; numeric amounts come as text (as pg gives them), times as Date.
   */
  async withDetails(manager: EntityManager, id: string): Promise<OrderWithDetails | null> {
    const rows: Array<OrderEntity & DetailColumns> = await manager.query(
      `SELECT ${ORDER_COLUMNS},
         ${detailPart(LINE_COLUMNS, 'order_line', 'p."lineNo"')} AS "detailLines",
         ${detailPart(HISTORY_COLUMNS, 'order_status_entry', 'p.id')} AS "detailHistory",
         ${detailPart(RESERVATION_COLUMNS, 'order_reservation', 'p.batch, p.warehouse, p.sku')} AS "detailReservations",
         ${detailPart(NOTE_COLUMNS, 'order_outbound_note', 'p.batch, p.warehouse')} AS "detailNotes",
         ${detailPart(SHIPMENT_COLUMNS, 'order_shipment', 'p."shippedAt"')} AS "detailShipments"
       FROM sales_order o WHERE o.id = $1`,
      [id],
    );
    const row = rows[0];
    if (!row) return null;
    const { detailLines, detailHistory, detailReservations, detailNotes, detailShipments, ...order } = row;
    return {
      order,
      lines: detailLines,
      history: detailHistory.map((entry) => ({ ...entry, id: String(entry.id), at: new Date(entry.at) })),
      reservations: detailReservations,
      notes: detailNotes.map((note) => ({ ...note, updatedAt: new Date(note.updatedAt) })),
      shipments: detailShipments.map((s) => ({ ...s, shippedAt: new Date(s.shippedAt), deliveredAt: s.deliveredAt === null ? null : new Date(s.deliveredAt) })),
    };
  }

  lines(manager: EntityManager, orderId: string): Promise<OrderLineEntity[]> {
    return manager.query(`SELECT ${LINE_COLUMNS} FROM order_line WHERE order_id = $1 ORDER BY line_no`, [orderId]);
  }

  /** The new status and its history entry, in one statement. */
  async setStatus(manager: EntityManager, order: OrderEntity, status: OrderStatus, reason: string | null): Promise<void> {
    order.status = status;
    order.updatedAt = new Date();
    await manager.query(
      `WITH changed AS (UPDATE sales_order SET status = $2, updated_at = $3 WHERE id = $1)
       INSERT INTO order_status_entry (order_id, status, reason) VALUES ($1, $2, $4)`,
      [order.id, status, order.updatedAt, reason],
    );
  }

  /** Replaces all lines of the order (a modification before the lock) and its total. */
  async replaceLines(manager: EntityManager, order: OrderEntity, lines: OrderLineEntity[], totalAmount: string): Promise<void> {
    await manager.delete(OrderLineEntity, { orderId: order.id });
    await manager.insert(OrderLineEntity, lines);
    order.totalAmount = totalAmount;
    await manager.update(OrderEntity, { id: order.id }, { totalAmount });
  }

  async saveAddress(manager: EntityManager, order: OrderEntity, address: OrderEntity['shippingAddress']): Promise<void> {
    order.shippingAddress = address;
    await manager.update(OrderEntity, { id: order.id }, { shippingAddress: address });
  }

  async saveReview(manager: EntityManager, order: OrderEntity, review: ReviewRecord | null): Promise<void> {
    order.review = review;
    await manager.update(OrderEntity, { id: order.id }, { review });
  }

  /** The automatic review's outcome and the shortage policy it resolved, in one statement (the review's hot path). */
  async saveReviewOutcome(manager: EntityManager, order: OrderEntity, review: ReviewRecord, policy: ShortagePolicy): Promise<void> {
    order.review = review;
    order.shortagePolicy = policy;
    await manager.query(`UPDATE sales_order SET review = $2, shortage_policy = $3 WHERE id = $1`, [order.id, JSON.stringify(review), JSON.stringify(policy)]);
  }

  /** Records reservations (one multi-row insert); ones already recorded are left as they are. */
  async saveReservations(manager: EntityManager, reservations: OrderReservationEntity[]): Promise<void> {
    if (reservations.length === 0) return;
    const column = <K extends keyof OrderReservationEntity>(key: K) => reservations.map((r) => r[key]);
    await manager.query(
      `INSERT INTO order_reservation (reservation_id, order_id, warehouse, sku, quantity, batch, released)
       SELECT * FROM unnest($1::text[], $2::uuid[], $3::text[], $4::text[], $5::int[], $6::int[], $7::boolean[])
       ON CONFLICT DO NOTHING`,
      [column('reservationId'), column('orderId'), column('warehouse'), column('sku'), column('quantity'), column('batch'), column('released')],
    );
  }

  reservations(manager: EntityManager, orderId: string): Promise<OrderReservationEntity[]> {
    return manager.query(`SELECT ${RESERVATION_COLUMNS} FROM order_reservation WHERE order_id = $1 ORDER BY batch, warehouse, sku`, [orderId]);
  }

  notes(manager: EntityManager, orderId: string): Promise<OrderOutboundNoteEntity[]> {
    return manager.query(`SELECT ${NOTE_COLUMNS} FROM order_outbound_note WHERE order_id = $1 ORDER BY batch, warehouse`, [orderId]);
  }

  /**
   * Inserts or advances a note; never moves it back (events may arrive out of order). `ranked`:
   * the note statuses in the order they are reached (any other ranks lowest). A known note keeps
   * its batch, and its lines unless new ones come.
   * @returns the order's notes as they are now (as `notes` reads them), from the same statement:
   *          the saga goes on with them at once.
   */
  async upsertNote(
    manager: EntityManager,
    note: { noteId: string; orderId: string; warehouse: string; status: string; lines?: Array<{ sku: string; quantity: number }>; batch?: number },
    ranked: readonly string[],
  ): Promise<OrderOutboundNoteEntity[]> {
    // A cancelled note stays cancelled; otherwise the furthest status wins.
    return manager.query(
      `WITH written AS (
         INSERT INTO order_outbound_note AS n (note_id, order_id, warehouse, status, batch, lines, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (note_id) DO UPDATE SET
           status = CASE WHEN n.status <> 'cancelled'
                          AND coalesce(array_position($8::text[], excluded.status), 0) > coalesce(array_position($8::text[], n.status), 0)
                         THEN excluded.status ELSE n.status END,
           lines = coalesce(excluded.lines, n.lines),
           updated_at = excluded.updated_at
         RETURNING ${NOTE_COLUMNS})
       ${NOTES_AFTER_WRITTEN}`,
      [note.noteId, note.orderId, note.warehouse, note.status, note.batch ?? 1, note.lines ? JSON.stringify(note.lines) : null, new Date(), ranked],
    );
  }

  /**
   * Moves a known note of the order forward (never back); `ranked` as for upsertNote.
   * @returns the order's notes as they are now, as upsertNote does.
   */
  async advanceNote(manager: EntityManager, orderId: string, noteId: string, status: string, ranked: readonly string[]): Promise<OrderOutboundNoteEntity[]> {
    return manager.query(
      `WITH written AS (
         UPDATE order_outbound_note SET status = $3, updated_at = $4
          WHERE note_id = $1 AND coalesce(array_position($5::text[], $3), 0) > coalesce(array_position($5::text[], status), 0)
         RETURNING ${NOTE_COLUMNS})
       ${NOTES_AFTER_WRITTEN}`,
      [noteId, orderId, status, new Date(), ranked],
    );
  }

  /** Marks notes cancelled (the warehouse cancelled them); unknown ones are recorded as cancelled. */
  async cancelNotes(manager: EntityManager, orderId: string, notes: ReadonlyArray<{ noteId: string; warehouse: string; lines: Array<{ sku: string; quantity: number }> }>): Promise<void> {
    for (const note of notes) {
      await manager
        .createQueryBuilder()
        .insert()
        .into(OrderOutboundNoteEntity)
        .values({ noteId: note.noteId, orderId, warehouse: note.warehouse, status: 'cancelled', lines: note.lines, batch: 1, updatedAt: new Date() })
        .orUpdate(['status', 'updated_at'], ['note_id'])
        .execute();
    }
  }

  /** Marks replica reservations released. */
  async releaseReservations(manager: EntityManager, orderId: string, reservationIds: readonly string[] | 'all'): Promise<void> {
    if (reservationIds === 'all') {
      await manager.query(`UPDATE order_reservation SET released = true WHERE order_id = $1`, [orderId]);
    } else if (reservationIds.length > 0) {
      await manager.query(`UPDATE order_reservation SET released = true WHERE order_id = $1 AND reservation_id = ANY($2::text[])`, [orderId, [...reservationIds]]);
    }
  }

  /** Cancels units of lines (a partial order's rest): `cancel` per SKU, from the last line of the SKU backwards. */
  async cancelQuantities(manager: EntityManager, lines: OrderLineEntity[], cancel: ReadonlyMap<string, number>): Promise<void> {
    for (const [sku, quantity] of cancel) {
      let left = quantity;
      for (const line of [...lines].reverse()) {
        if (left === 0) break;
        if (line.sku !== sku) continue;
        const more = Math.min(left, line.quantity - line.cancelledQuantity);
        if (more === 0) continue;
        line.cancelledQuantity += more;
        left -= more;
        await manager.update(OrderLineEntity, { orderId: line.orderId, lineNo: line.lineNo }, { cancelledQuantity: line.cancelledQuantity });
      }
    }
  }

  /**
   * Records a shipment (a known one is left as it is).
   * @returns the order's shipments as they are now (as `shipments` reads them), from the same statement.
   */
  async saveShipment(manager: EntityManager, shipment: Omit<OrderShipmentEntity, 'deliveredAt'>): Promise<OrderShipmentEntity[]> {
    // The row written, and the others as they were (a statement does not see what its own CTE wrote).
    return manager.query(
      `WITH written AS (
         INSERT INTO order_shipment (shipment_id, order_id, note_id, warehouse, carrier, tracking_number, shipped_at, delivered_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, NULL) ON CONFLICT DO NOTHING
         RETURNING ${SHIPMENT_COLUMNS})
       SELECT * FROM written WHERE "orderId" = $2
       UNION ALL
       SELECT ${SHIPMENT_COLUMNS} FROM order_shipment WHERE order_id = $2 AND shipment_id NOT IN (SELECT "shipmentId" FROM written)
       ORDER BY "shippedAt"`,
      [shipment.shipmentId, shipment.orderId, shipment.noteId, shipment.warehouse, shipment.carrier, shipment.trackingNumber, shipment.shippedAt],
    );
  }

  async markDelivered(manager: EntityManager, shipmentId: string, deliveredAt: Date): Promise<boolean> {
    const result: unknown = await manager.query(`UPDATE order_shipment SET delivered_at = $2 WHERE shipment_id = $1 AND delivered_at IS NULL`, [shipmentId, deliveredAt]);
    return affected(result) > 0;
  }

  shipments(manager: EntityManager, orderId: string): Promise<OrderShipmentEntity[]> {
    return manager.query(`SELECT ${SHIPMENT_COLUMNS} FROM order_shipment WHERE order_id = $1 ORDER BY shipped_at`, [orderId]);
  }

  /**
   * What a platform's customer owes on open orders not paid yet, in one currency (credit
   * exposure), leaving out `excludeOrderId` (the order under review).
   */
  async openUnpaidAmount(
    manager: EntityManager,
    customer: { tenantId: string; customerId: string },
    currency: string,
    excludeOrderId?: string,
  ): Promise<string> {
    const [row] = (await manager.query(
      `SELECT coalesce(sum(total_amount), 0)::text AS amount FROM sales_order
        WHERE tenant_id = $1 AND customer_id = $2 AND currency = $3
          AND payment_status = 'pending' AND status NOT IN ('rejected', 'cancelled', 'delivered') AND id <> $4`,
      [customer.tenantId, customer.customerId, currency, excludeOrderId ?? '00000000-0000-0000-0000-000000000000'],
    )) as Array<{ amount: string }>;
    return row.amount;
  }

  /** A platform's customer's open orders not paid yet (those that use credit), in every currency, oldest first. */
  openUnpaidOrders(manager: EntityManager, customer: { tenantId: string; customerId: string }): Promise<OrderEntity[]> {
    return manager
      .createQueryBuilder(OrderEntity, 'o')
      .where('o.tenant_id = :tenantId AND o.customer_id = :customerId', { ...customer })
      .andWhere(`o.payment_status = 'pending' AND o.status NOT IN ('rejected', 'cancelled', 'delivered')`)
      .orderBy('o.created_at', 'ASC')
      .addOrderBy('o.id', 'ASC')
      .getMany();
  }

  list(manager: EntityManager, filter: OrderListFilter): Promise<OrderEntity[]> {
    const query = manager.createQueryBuilder(OrderEntity, 'o').orderBy('o.created_at', 'ASC').addOrderBy('o.id', 'ASC').limit(filter.limit);
    if (filter.tenantId) query.andWhere('o.tenant_id = :tenantId', { tenantId: filter.tenantId });
    if (filter.status) query.andWhere('o.status = :status', { status: filter.status });
    if (filter.channel) query.andWhere('o.channel = :channel', { channel: filter.channel });
    if (filter.customerId) query.andWhere('o.customer_id = :customerId', { customerId: filter.customerId });
    if (filter.after) {
      query.andWhere('(o.created_at, o.id) > (:createdAt, :id)', { createdAt: filter.after.createdAt, id: filter.after.id });
    }
    return query.getMany();
  }

  onHold(manager: EntityManager, tenantId?: string): Promise<OrderEntity[]> {
    return manager.find(OrderEntity, {
      where: tenantId ? { status: 'on_hold', tenantId } : { status: 'on_hold' },
      order: { updatedAt: 'ASC' },
      take: 500,
    });
  }
}
