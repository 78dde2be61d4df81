import { Injectable } from '@nestjs/common';
import { In, type EntityManager } from 'typeorm';
import { OutboundNoteLine } from './outbound-note-line.entity.js';
import type { OutboundNoteStatus, OutboundNoteTransition } from './outbound-note-status.js';
import { OutboundNote } from './outbound-note.entity.js';

export type NewOutboundNote = Omit<OutboundNote, 'seq' | 'confirmedAt' | 'pickingAt' | 'packedAt' | 'shippedAt'>;

export interface OutboundNoteFilter {
  status?: OutboundNoteStatus;
  warehouse?: string;
  orderId?: string;
}

/** Outbound notes and their lines. Every method runs in the caller's transaction (`manager`). */
@Injectable()
export class OutboundNotesRepository {
  /**
   * Inserts the note and its lines unless the order already has a note for this warehouse.
   * A concurrent insert of the same (order, warehouse) waits for the other transaction and then
   * inserts nothing. Returns whether this call inserted the note.
   */
  async insertIfAbsent(manager: EntityManager, note: NewOutboundNote, lines: Array<{ sku: string; quantity: number }>): Promise<boolean> {
    const inserted: Array<{ id: string }> = await manager.query(
      `INSERT INTO outbound_note (id, order_id, external_id, tenant_id, warehouse, status, recipient_name, ship_to, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (order_id, warehouse) DO NOTHING
       RETURNING id`,
      [
        note.id,
        note.orderId,
        note.externalId,
        note.tenantId,
        note.warehouse,
        note.status,
        note.recipientName,
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

  findByOrder(manager: EntityManager, orderId: string, warehouses: string[]): Promise<OutboundNote[]> {
    return manager.find(OutboundNote, { where: { orderId, warehouse: In(warehouses) }, order: { seq: 'ASC' } });
  }

  /** Up to `limit` notes matching `filter`, in creation order, after the note with `afterSeq`. */
  list(manager: EntityManager, filter: OutboundNoteFilter, afterSeq: string | null, limit: number): Promise<OutboundNote[]> {
    const query = manager.createQueryBuilder(OutboundNote, 'note').orderBy('note.seq', 'ASC').limit(limit);
    if (filter.status) query.andWhere('note.status = :status', { status: filter.status });
    if (filter.warehouse) query.andWhere('note.warehouse = :warehouse', { warehouse: filter.warehouse });
    if (filter.orderId) query.andWhere('note.orderId = :orderId', { orderId: filter.orderId });
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
