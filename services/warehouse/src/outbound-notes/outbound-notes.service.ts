import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import {
  OutboundNoteProgressedV1,
  OutboundNoteShippedV1,
  SkaldError,
  type AddressValue,
  type CancelOutboundNotes,
  type CreateOutboundNotes,
  type OutboundNotesCancelled,
  type StockLineValue,
} from '@skald/contracts';
import { Outbox } from '@skald/messaging';
import type { EntityManager } from 'typeorm';
import type { Shipment } from '../shipments/shipment.entity.js';
import { ShipmentsRepository } from '../shipments/shipments.repository.js';
import { DEFAULT_PAGE_SIZE, decodeCursor, encodeCursor } from './pagination.js';
import type { OutboundNoteLine } from './outbound-note-line.entity.js';
import { OUTBOUND_NOTE_TRANSITIONS, type OutboundNoteProgressStep, type OutboundNoteStep } from './outbound-note-status.js';
import type { OutboundNote } from './outbound-note.entity.js';
import { OutboundNotesRepository, type OutboundNoteFilter } from './outbound-notes.repository.js';

/** A note as the service hands it out: the row, its lines, and its shipment once it has left. */
export interface OutboundNoteDetails {
  note: OutboundNote;
  lines: OutboundNoteLine[];
  shipment: Shipment | null;
}

export interface OutboundNotePage {
  items: OutboundNoteDetails[];
  /** Where the next page starts; null on the last page. */
  nextCursor: string | null;
}

/** Outbound notes: created from the order saga's command, moved along by warehouse operators. */
@Injectable()
export class OutboundNotesService {
  private readonly logger = new Logger(OutboundNotesService.name);

  constructor(
    private readonly notes: OutboundNotesRepository,
    private readonly shipments: ShipmentsRepository,
    private readonly outbox: Outbox,
  ) {}

  /**
   * Creates the order's outbound notes of the command's batch (default 1), one per warehouse, in
   * status `created`. Idempotent per (order, warehouse, batch): a re-sent command creates nothing
   * and gets the notes that exist. An order whose notes were all cancelled gets no notes at all
   * (the cancellation arrived first). Runs under the order's lock, as cancellation does.
   * @returns every note the command names, new or existing, in the command's order; none for a
   *          cancelled order
   * @throws SkaldError(OUTBOUND_NOTES_DUPLICATE_WAREHOUSE) when the command names a warehouse twice
   * @throws SkaldError(OUTBOUND_NOTE_CONFLICT) when the order's note for a warehouse and batch
   *         exists with other lines: a different command, not a re-send
   */
  async createForOrder(manager: EntityManager, command: CreateOutboundNotes, tenantId: string | null): Promise<OutboundNoteDetails[]> {
    const warehouses = command.notes.map((entry) => entry.warehouse);
    const duplicate = warehouses.find((warehouse, index) => warehouses.indexOf(warehouse) !== index);
    if (duplicate !== undefined) {
      throw new SkaldError('OUTBOUND_NOTES_DUPLICATE_WAREHOUSE', `Order ${command.orderId} lists warehouse ${duplicate} twice.`, {
        retryable: false,
      });
    }
    const batch = batchOf(command);

    await this.notes.lockOrder(manager, command.orderId);
    if (await this.notes.isOrderCancelled(manager, command.orderId)) {
      this.logger.log(`order ${command.orderId} was cancelled; no outbound notes created for batch ${batch}`);
      return [];
    }

    const createdAt = new Date();
    const shipTo = plainAddress(command.shipTo);
    // Inserted in warehouse order (hence created, and listed, in that order).
    const inWarehouseOrder = [...command.notes].sort((a, b) => (a.warehouse < b.warehouse ? -1 : a.warehouse > b.warehouse ? 1 : 0));
    let created = 0;
    for (const entry of inWarehouseOrder) {
      const inserted = await this.notes.insertIfAbsent(
        manager,
        {
          id: randomUUID(),
          orderId: command.orderId,
          externalId: command.externalId,
          tenantId,
          warehouse: entry.warehouse,
          batch,
          status: 'created',
          recipientName: command.recipientName,
          recipientPhone: command.recipientPhone ?? null,
          recipientCompany: command.recipientCompany ?? null,
          shipTo,
          createdAt,
        },
        entry.lines,
      );
      if (inserted) created += 1;
    }

    const stored = await this.details(manager, await this.notes.findOfBatch(manager, command.orderId, batch, warehouses));
    const byWarehouse = new Map(stored.map((details) => [details.note.warehouse, details]));
    const notes = command.notes.map((entry) => {
      const details = byWarehouse.get(entry.warehouse);
      if (!details) throw new Error(`note of order ${command.orderId} for ${entry.warehouse} vanished in its own transaction`);
      if (!sameLines(details.lines, entry.lines)) {
        throw new SkaldError(
          'OUTBOUND_NOTE_CONFLICT',
          `Order ${command.orderId} already has outbound note ${details.note.id} for warehouse ${entry.warehouse} (batch ${batch}) with other lines.`,
          { retryable: false, details: { noteId: details.note.id } },
        );
      }
      return details;
    });
    if (created > 0) {
      this.logger.log(`created ${created} outbound note(s) of batch ${batch} for order ${command.orderId}`);
    } else {
      this.logger.log(`outbound notes of batch ${batch} of order ${command.orderId} already exist; nothing created`);
    }
    return notes;
  }

  /**
   * Cancels the order's open notes (compensation of the order saga): without `noteIds` every open
   * note of the order, and the order is marked cancelled so that a create command arriving later
   * creates nothing; with `noteIds` only those notes. Notes that were picking or packed are flagged
   * for restocking. A note that shipped first stays shipped and is reported apart. Idempotent: a
   * re-sent command cancels nothing new and reports the notes cancelled before
   * (`previousStatus: 'cancelled'`). Runs under the order's lock, as creation does.
   * @returns the payload of OutboundNotesCancelled
   * @throws SkaldError(OUTBOUND_NOTE_NOT_FOUND) when a named note is not one of the order's
   */
  async cancelForOrder(manager: EntityManager, command: CancelOutboundNotes, tenantId: string | null): Promise<OutboundNotesCancelled> {
    const { orderId, reason } = command;
    const noteIds = command.noteIds === undefined ? undefined : [...new Set(command.noteIds)];
    const at = new Date();

    await this.notes.lockOrder(manager, orderId);
    if (noteIds === undefined) {
      await this.notes.markOrderCancelled(manager, { orderId, tenantId, reason, cancelledAt: at });
    } else {
      const known = new Set((await this.notes.findOfOrder(manager, orderId, noteIds)).map((note) => note.id));
      const unknown = noteIds.filter((id) => !known.has(id));
      if (unknown.length > 0) {
        throw new SkaldError('OUTBOUND_NOTE_NOT_FOUND', `Order ${orderId} has no outbound note ${unknown.join(', ')}.`, {
          retryable: false,
          details: { noteIds: unknown },
        });
      }
    }

    const cancelledNow = new Map(
      (await this.notes.cancelOpen(manager, orderId, noteIds, { reason, at })).map((entry) => [entry.id, entry.previousStatus]),
    );
    const notes = await this.details(manager, await this.notes.findOfOrder(manager, orderId, noteIds));
    const cancelled = notes.filter(({ note }) => note.status === 'cancelled');
    const shipped = notes.filter(({ note }) => note.status === 'shipped');

    this.logger.log(
      `order ${orderId}: cancelled ${cancelledNow.size} outbound note(s)` +
        (cancelled.length > cancelledNow.size ? `, ${cancelled.length - cancelledNow.size} cancelled before` : '') +
        (shipped.length > 0 ? `, ${shipped.length} shipped already` : '') +
        (noteIds === undefined ? '; later create commands create nothing' : ''),
    );
    return {
      orderId,
      reason,
      cancelled: cancelled.map(({ note, lines }) => ({
        noteId: note.id,
        warehouse: note.warehouse,
        previousStatus: cancelledNow.get(note.id) ?? 'cancelled',
        restocked: note.restockRequired,
        lines: lines.map((line) => ({ sku: line.sku, quantity: line.quantity })),
      })),
      shipped: shipped.map(({ note }) => ({ noteId: note.id, warehouse: note.warehouse })),
    };
  }

  /** @throws SkaldError(OUTBOUND_NOTE_NOT_FOUND) */
  async get(manager: EntityManager, id: string): Promise<OutboundNoteDetails> {
    const note = await this.notes.findById(manager, id);
    if (!note) throw noteNotFound(id);
    const [details] = await this.details(manager, [note]);
    return details;
  }

  /**
   * A page of notes matching `filter`, oldest first (creation order), so a warehouse works
   * through them first come, first served.
   * @throws SkaldError(INVALID_CURSOR)
   */
  async list(
    manager: EntityManager,
    filter: OutboundNoteFilter,
    page: { cursor?: string; limit?: number },
  ): Promise<OutboundNotePage> {
    const limit = page.limit ?? DEFAULT_PAGE_SIZE;
    const afterSeq = page.cursor === undefined ? null : decodeCursor(page.cursor);
    const notes = await this.notes.list(manager, filter, afterSeq, limit + 1);
    const items = notes.slice(0, limit);
    return {
      items: await this.details(manager, items),
      nextCursor: notes.length > limit ? encodeCursor(items[items.length - 1].seq) : null,
    };
  }

  /**
   * Confirms, starts picking or packs a note, and publishes OutboundNoteProgressed in the same
   * transaction.
   * @throws SkaldError(OUTBOUND_NOTE_NOT_FOUND)
   * @throws SkaldError(NOTE_STATUS_CONFLICT) when the note is not in the status the step starts from
   */
  async progress(manager: EntityManager, id: string, step: OutboundNoteProgressStep): Promise<OutboundNoteDetails> {
    const at = new Date();
    const details = await this.take(manager, id, step, at);
    const { note } = details;
    await this.outbox.publish(
      manager,
      OutboundNoteProgressedV1,
      { noteId: note.id, orderId: note.orderId, warehouse: note.warehouse, status: OUTBOUND_NOTE_TRANSITIONS[step].to, at: at.toISOString() },
      sagaOf(note),
    );
    this.logger.log(`outbound note ${note.id} of order ${note.orderId} is ${note.status}`);
    return details;
  }

  /**
   * Ships a packed note: creates its shipment and publishes OutboundNoteShipped (what left the
   * warehouse, so inventory can consume the reservation) in the same transaction.
   * @throws SkaldError(OUTBOUND_NOTE_NOT_FOUND)
   * @throws SkaldError(NOTE_STATUS_CONFLICT) when the note is not packed
   */
  async ship(manager: EntityManager, id: string, parcel: { carrier: string; trackingNumber: string }): Promise<OutboundNoteDetails> {
    const shippedAt = new Date();
    const { note, lines } = await this.take(manager, id, 'ship', shippedAt);
    const shipment: Shipment = {
      id: randomUUID(),
      noteId: note.id,
      orderId: note.orderId,
      tenantId: note.tenantId,
      carrier: parcel.carrier,
      trackingNumber: parcel.trackingNumber,
      shippedAt,
      deliveredAt: null,
    };
    await this.shipments.insert(manager, shipment);
    await this.outbox.publish(
      manager,
      OutboundNoteShippedV1,
      {
        noteId: note.id,
        orderId: note.orderId,
        warehouse: note.warehouse,
        shipmentId: shipment.id,
        carrier: shipment.carrier,
        trackingNumber: shipment.trackingNumber,
        lines: lines.map((line) => ({ sku: line.sku, quantity: line.quantity })),
        shippedAt: shippedAt.toISOString(),
      },
      sagaOf(note),
    );
    this.logger.log(`outbound note ${note.id} of order ${note.orderId} shipped as ${shipment.id} with ${shipment.carrier}`);
    return { note, lines, shipment };
  }

  /** Takes `step` on the note, or explains why not; returns the note as it is afterwards. */
  private async take(manager: EntityManager, id: string, step: OutboundNoteStep, at: Date): Promise<OutboundNoteDetails> {
    const transition = OUTBOUND_NOTE_TRANSITIONS[step];
    const moved = await this.notes.transition(manager, id, transition, at);
    if (!moved) {
      // Read after the update: on a lost race this sees the winner's committed status.
      const note = await this.notes.findById(manager, id);
      if (!note) throw noteNotFound(id);
      throw new SkaldError(
        'NOTE_STATUS_CONFLICT',
        `Outbound note ${id} is ${note.status}; ${step} needs it ${transition.from.join(' or ')}.`,
        { retryable: false, details: { noteId: id, currentStatus: note.status, expectedStatus: [...transition.from] } },
      );
    }
    // A note gets its shipment when it ships, after this step: it has none yet.
    return { note: moved.note, lines: moved.lines, shipment: null };
  }

  private async details(manager: EntityManager, notes: OutboundNote[]): Promise<OutboundNoteDetails[]> {
    const ids = notes.map((note) => note.id);
    const lines = await this.notes.linesOf(manager, ids);
    const shipments = await this.shipments.byNote(manager, ids);
    return notes.map((note) => ({ note, lines: lines.get(note.id) ?? [], shipment: shipments.get(note.id) ?? null }));
  }
}

function noteNotFound(id: string): SkaldError {
  return new SkaldError('OUTBOUND_NOTE_NOT_FOUND', `No outbound note ${id}.`, { retryable: false });
}

/** The command's shipment batch: 1 unless it says otherwise. */
export function batchOf(command: CreateOutboundNotes): number {
  return command.batch ?? 1;
}

/** Messages about a note belong to its order's saga and its platform. */
function sagaOf(note: OutboundNote): { tenantId: string | null; correlationId: string } {
  return { tenantId: note.tenantId, correlationId: note.orderId };
}

/** The address as plain JSON, optional parts as null, nothing the contract does not know. */
function plainAddress(address: AddressValue): AddressValue {
  return {
    line1: address.line1,
    line2: address.line2 ?? null,
    city: address.city,
    postalCode: address.postalCode,
    country: address.country,
    region: address.region ?? null,
  };
}

/** Lines as a comparable key, regardless of their order. */
function lineKey(lines: Array<{ sku: string; quantity: number }>): string {
  return lines
    .map((line) => JSON.stringify([line.sku, line.quantity]))
    .sort()
    .join();
}

function sameLines(stored: OutboundNoteLine[], commanded: StockLineValue[]): boolean {
  return lineKey(stored) === lineKey(commanded);
}
