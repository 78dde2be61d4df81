import { Injectable } from '@nestjs/common';
import { entityColumns } from '@skald/persistence';
import type { EntityManager } from 'typeorm';
import { CancelledOrder } from './cancelled-order.entity.js';
import { OutboundNoteLine } from './outbound-note-line.entity.js';
import {
  OPEN_NOTE_STATUSES,
  OUTBOUND_NOTE_TRANSITIONS,
  PICKED_NOTE_STATUSES,
  type OutboundNoteStatus,
  type OutboundNoteTransition,
} from './outbound-note-status.js';
import { OutboundNote } from './outbound-note.entity.js';

export type NewOutboundNote = Omit<
  OutboundNote,
  'seq' | 'confirmedAt' | 'pickingAt' | 'packedAt' | 'shippedAt' | 'cancelledAt' | 'cancelReason' | 'restockRequired'
>;

/** A note this transaction cancelled, with the status it had. */
export interface NoteCancellation {
  id: string;
  previousStatus: OutboundNoteStatus;
}

export interface OutboundNoteFilter {
  status?: OutboundNoteStatus;
  warehouse?: string;
  orderId?: string;
  externalId?: string;
}

/** A note's columns, named as its properties (seq: bigint, read as a string; ship_to: jsonb, parsed). */
const NOTE = entityColumns(OutboundNote, {
  id: 'id',
  seq: 'seq',
  orderId: 'order_id',
  externalId: 'external_id',
  tenantId: 'tenant_id',
  warehouse: 'warehouse',
  batch: 'batch',
  status: 'status',
  recipientName: 'recipient_name',
  recipientPhone: 'recipient_phone',
  recipientCompany: 'recipient_company',
  shipTo: 'ship_to',
  createdAt: 'created_at',
  confirmedAt: 'confirmed_at',
  pickingAt: 'picking_at',
  packedAt: 'packed_at',
  shippedAt: 'shipped_at',
  cancelledAt: 'cancelled_at',
  cancelReason: 'cancel_reason',
  restockRequired: 'restock_required',
});

/** A note line's columns, named as its properties. */
const LINE = entityColumns(OutboundNoteLine, { noteId: 'note_id', lineNo: 'line_no', sku: 'sku', quantity: 'quantity' });

/** The column each step's stamp is stored in (a fixed list: never built from input). */
const STAMP_COLUMNS: Record<OutboundNoteTransition['stamp'], string> = {
  confirmedAt: 'confirmed_at',
  pickingAt: 'picking_at',
  packedAt: 'packed_at',
  shippedAt: 'shipped_at',
  cancelledAt: 'cancelled_at',
};

/**
 * Outbound notes and their lines. Every method runs in the caller's transaction (`manager`).
 *
 * What creating notes and the operator's confirm/pick/pack/ship requests run is plain SQL, its
 * rows read as entities by entityColumns, on purpose: it runs per message and per request, and
 * TypeORM's query builder and entity hydration cost more CPU than the statements themselves.
 */
@Injectable()
export class OutboundNotesRepository {
  /**
   * Serializes the transactions that create or cancel the order's notes (transaction-scoped
   * advisory lock on the order id): a create and a cancel racing end as if one ran after the other.
   */
  async lockOrder(manager: EntityManager, orderId: string): Promise<void> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended('warehouse.outbound-order:' || $1, 0))`, [orderId]);
  }

  /** Whether the order's notes were all cancelled (a later create creates nothing). */
  async isOrderCancelled(manager: EntityManager, orderId: string): Promise<boolean> {
    const rows = await manager.query<unknown[]>(`SELECT 1 FROM cancelled_order WHERE order_id = $1`, [orderId]);
    return rows.length > 0;
  }

  /** Records the order's tombstone unless it has one (the first cancellation's reason stays). */
  async markOrderCancelled(manager: EntityManager, tombstone: CancelledOrder): Promise<void> {
    await manager.query(
      `INSERT INTO cancelled_order (order_id, tenant_id, reason, cancelled_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
      [tombstone.orderId, tombstone.tenantId, tombstone.reason, tombstone.cancelledAt],
    );
  }

  /**
   * Inserts the note and its lines unless the order already has a note for this warehouse and
   * batch. A concurrent insert of the same (order, warehouse, batch) waits for the other
   * transaction and then inserts nothing. Returns whether this call inserted the note.
   * One statement: the lines are inserted only when the note was.
   */
  async insertIfAbsent(manager: EntityManager, note: NewOutboundNote, lines: Array<{ sku: string; quantity: number }>): Promise<boolean> {
    const inserted: Array<{ id: string }> = await manager.query(
      `WITH note AS (
         INSERT INTO outbound_note (id, order_id, external_id, tenant_id, warehouse, batch, status, recipient_name, recipient_phone, recipient_company, ship_to, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
         ON CONFLICT (order_id, warehouse, batch) DO NOTHING
         RETURNING id
       ), lines AS (
         INSERT INTO outbound_note_line (note_id, line_no, sku, quantity)
         SELECT note.id, line.line_no, line.sku, line.quantity
           FROM note, unnest($13::text[], $14::int[]) WITH ORDINALITY AS line(sku, quantity, line_no)
       )
       SELECT id FROM note`,
      [
        note.id,
        note.orderId,
        note.externalId,
        note.tenantId,
        note.warehouse,
        note.batch,
        note.status,
        note.recipientName,
        note.recipientPhone,
        note.recipientCompany,
        JSON.stringify(note.shipTo),
        note.createdAt,
        lines.map((line) => line.sku),
        lines.map((line) => line.quantity),
      ],
    );
    return inserted.length === 1;
  }

  async findById(manager: EntityManager, id: string): Promise<OutboundNote | null> {
    const rows: object[] = await manager.query(`SELECT ${NOTE.list} FROM outbound_note WHERE id = $1`, [id]);
    return rows.length === 0 ? null : NOTE.toEntity(rows[0]);
  }

  /** The order's notes of `batch` for these warehouses. */
  async findOfBatch(manager: EntityManager, orderId: string, batch: number, warehouses: string[]): Promise<OutboundNote[]> {
    const rows: object[] = await manager.query(
      `SELECT ${NOTE.list} FROM outbound_note WHERE order_id = $1 AND batch = $2 AND warehouse = ANY($3::text[]) ORDER BY seq`,
      [orderId, batch, warehouses],
    );
    return rows.map((row) => NOTE.toEntity(row));
  }

  /** The order's notes (only those with these ids when `noteIds` is given), in creation order. */
  async findOfOrder(manager: EntityManager, orderId: string, noteIds?: string[]): Promise<OutboundNote[]> {
    const rows: object[] = await manager.query(
      `SELECT ${NOTE.list} FROM outbound_note WHERE order_id = $1 AND ($2::uuid[] IS NULL OR id = ANY($2::uuid[])) ORDER BY seq`,
      [orderId, noteIds ?? null],
    );
    return rows.map((row) => NOTE.toEntity(row));
  }

  /** Up to `limit` notes matching `filter`, in creation order, after the note with `afterSeq`. */
  list(manager: EntityManager, filter: OutboundNoteFilter, afterSeq: string | null, limit: number): Promise<OutboundNote[]> {
    const query = manager.createQueryBuilder(OutboundNote, 'note').orderBy('note.seq', 'ASC').limit(limit);
    if (filter.status) query.andWhere('note.status = :status', { status: filter.status });
    if (filter.warehouse) query.andWhere('note.warehouse = :warehouse', { warehouse: filter.warehouse });
    if (filter.orderId) query.andWhere('note.orderId = :orderId', { orderId: filter.orderId });
    if (filter.externalId) query.andWhere('note.externalId = :externalId', { externalId: filter.externalId });
    if (afterSeq !== null) query.andWhere('note.seq > :afterSeq', { afterSeq });
    return query.getMany();
  }

  /** The lines of each note, in their order. */
  async linesOf(manager: EntityManager, noteIds: string[]): Promise<Map<string, OutboundNoteLine[]>> {
    const byNote = new Map<string, OutboundNoteLine[]>(noteIds.map((id) => [id, []]));
    if (noteIds.length === 0) return byNote;
    const rows: object[] = await manager.query(`SELECT ${LINE.list} FROM outbound_note_line WHERE note_id = ANY($1::uuid[]) ORDER BY note_id, line_no`, [
      noteIds,
    ]);
    for (const row of rows) {
      const line = LINE.toEntity(row);
      byNote.get(line.noteId)?.push(line);
    }
    return byNote;
  }

  /**
   * Cancels the order's open notes (only those with these ids when `noteIds` is given), stamping
   * the time and reason and flagging the ones whose goods were picked for restocking. The rows are
   * locked and their status re-checked (`FOR UPDATE` re-reads a row another transaction changed):
   * a note an operator shipped concurrently either shipped first and is left alone, or is
   * cancelled first and the ship finds it cancelled. Returns the notes cancelled, with the status
   * each had.
   */
  async cancelOpen(
    manager: EntityManager,
    orderId: string,
    noteIds: string[] | undefined,
    cancellation: { reason: string; at: Date },
  ): Promise<NoteCancellation[]> {
    const cancel = OUTBOUND_NOTE_TRANSITIONS.cancel;
    // TypeORM answers an UPDATE … RETURNING on PostgreSQL with [rows, affected count].
    const [rows]: [NoteCancellation[], number] = await manager.query(
      `WITH open AS (
         SELECT id, status FROM outbound_note
         WHERE order_id = $1 AND status = ANY($2::text[]) AND ($3::uuid[] IS NULL OR id = ANY($3::uuid[]))
         ORDER BY id
         FOR UPDATE
       )
       UPDATE outbound_note note
       SET status = $4, cancelled_at = $5, cancel_reason = $6, restock_required = open.status = ANY($7::text[])
       FROM open
       WHERE note.id = open.id
       RETURNING note.id, open.status AS "previousStatus"`,
      [orderId, [...OPEN_NOTE_STATUSES], noteIds ?? null, cancel.to, cancellation.at, cancellation.reason, [...PICKED_NOTE_STATUSES]],
    );
    return rows;
  }

  /**
   * Moves the note along `transition` and stamps the step's time, only if its status is one the
   * step starts from. The conditional UPDATE is the concurrency control: of two transactions
   * racing the same step, the second waits for the first's row lock, re-reads the status and
   * updates nothing. Returns the note as it now is, with its lines (one round trip), when it
   * moved; null when it did not (the caller reads it again in a statement of its own, to see the
   * winner's committed status).
   */
  async transition(
    manager: EntityManager,
    id: string,
    transition: OutboundNoteTransition,
    at: Date,
  ): Promise<{ note: OutboundNote; lines: OutboundNoteLine[] } | null> {
    // TypeORM answers an UPDATE … RETURNING on PostgreSQL with [rows, affected count].
    // The lines as JSON objects keyed by their properties (text and int columns only: JSON keeps their types).
    const [rows]: [Array<Record<string, unknown> & { lines: object[] }>, number] = await manager.query(
      `UPDATE outbound_note SET status = $2, ${STAMP_COLUMNS[transition.stamp]} = $3
        WHERE id = $1 AND status = ANY($4::text[])
        RETURNING ${NOTE.list},
          (SELECT coalesce(json_agg(json_build_object('noteId', l.note_id, 'lineNo', l.line_no, 'sku', l.sku, 'quantity', l.quantity) ORDER BY l.line_no), '[]'::json)
             FROM outbound_note_line l WHERE l.note_id = outbound_note.id) AS lines`,
      [id, transition.to, at, [...transition.from]],
    );
    if (rows.length !== 1) return null;
    const note = NOTE.toEntity(rows[0]);
    return { note, lines: rows[0].lines.map((line) => LINE.toEntity(line)) };
  }
}
