import { Injectable } from '@nestjs/common';
import { In, type EntityManager } from 'typeorm';
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

/** Outbound notes and their lines. Every method runs in the caller's transaction (`manager`). */
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
    return (await manager.countBy(CancelledOrder, { orderId })) > 0;
  }

  /** Records the order's tombstone unless it has one (the first cancellation's reason stays). */
  async markOrderCancelled(manager: EntityManager, tombstone: CancelledOrder): Promise<void> {
    await manager.createQueryBuilder().insert().into(CancelledOrder).values(tombstone).orIgnore().execute();
  }

  /**
   * Inserts the note and its lines unless the order already has a note for this warehouse and
   * batch. A concurrent insert of the same (order, warehouse, batch) waits for the other
   * transaction and then inserts nothing. Returns whether this call inserted the note.
   */
  async insertIfAbsent(manager: EntityManager, note: NewOutboundNote, lines: Array<{ sku: string; quantity: number }>): Promise<boolean> {
    const inserted: Array<{ id: string }> = await manager.query(
      `INSERT INTO outbound_note (id, order_id, external_id, tenant_id, warehouse, batch, status, recipient_name, recipient_phone, recipient_company, ship_to, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
       ON CONFLICT (order_id, warehouse, batch) DO NOTHING
       RETURNING id`,
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
      ],
    );
    if (inserted.length === 0) return false;
    await manager.insert(
      OutboundNoteLine,
      lines.map((line, index) => ({ noteId: note.id, lineNo: index + 1, sku: line.sku, quantity: line.quantity })),
    );
    return true;
  }

  findById(manager: EntityManager, id: string): Promise<OutboundNote | null> {
    return manager.findOneBy(OutboundNote, { id });
  }

  /** The order's notes of `batch` for these warehouses. */
  findOfBatch(manager: EntityManager, orderId: string, batch: number, warehouses: string[]): Promise<OutboundNote[]> {
    return manager.find(OutboundNote, { where: { orderId, batch, warehouse: In(warehouses) }, order: { seq: 'ASC' } });
  }

  /** The order's notes (only those with these ids when `noteIds` is given), in creation order. */
  findOfOrder(manager: EntityManager, orderId: string, noteIds?: string[]): Promise<OutboundNote[]> {
    const where = noteIds === undefined ? { orderId } : { orderId, id: In(noteIds) };
    return manager.find(OutboundNote, { where, order: { seq: 'ASC' } });
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
    const lines = await manager.find(OutboundNoteLine, { where: { noteId: In(noteIds) }, order: { noteId: 'ASC', lineNo: 'ASC' } });
    for (const line of lines) byNote.get(line.noteId)?.push(line);
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
    const [rows]: [Array<{ id: string; previous_status: OutboundNoteStatus }>, number] = await manager.query(
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
       RETURNING note.id, open.status AS previous_status`,
      [orderId, [...OPEN_NOTE_STATUSES], noteIds ?? null, cancel.to, cancellation.at, cancellation.reason, [...PICKED_NOTE_STATUSES]],
    );
    return rows.map((row) => ({ id: row.id, previousStatus: row.previous_status }));
  }

  /**
   * Moves the note along `transition` and stamps the step's time, only if its status is one the
   * step starts from. The conditional UPDATE is the concurrency control: of two transactions
   * racing the same step, the second waits for the first's row lock, re-reads the status and
   * updates nothing. Returns whether the note moved.
   */
  async transition(manager: EntityManager, id: string, transition: OutboundNoteTransition, at: Date): Promise<boolean> {
    const result = await manager
      .createQueryBuilder()
      .update(OutboundNote)
      .set({ status: transition.to, [transition.stamp]: at })
      .where('id = :id', { id })
      .andWhere('status IN (:...from)', { from: transition.from })
      .execute();
    return result.affected === 1;
  }
}
