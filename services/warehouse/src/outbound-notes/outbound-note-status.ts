import type { CANCELLABLE_NOTE_STATUSES } from '@skald/contracts';

/**
 * The life of an outbound note, in one place: its statuses and the steps that move it.
 *
 * The database CHECK constraint on `outbound_note.status` follows this table by migration
 * (`outbound_note_status_ck`). Partial shipments extend it later.
 */
export const OUTBOUND_NOTE_STATUSES = ['created', 'confirmed', 'picking', 'packed', 'shipped', 'cancelled'] as const;
export type OutboundNoteStatus = (typeof OUTBOUND_NOTE_STATUSES)[number];

/** The entity property each step stamps with its time. */
export type OutboundNoteStamp = 'confirmedAt' | 'pickingAt' | 'packedAt' | 'shippedAt' | 'cancelledAt';

export interface OutboundNoteTransition {
  /** The statuses the step may start from. */
  readonly from: readonly OutboundNoteStatus[];
  readonly to: OutboundNoteStatus;
  readonly stamp: OutboundNoteStamp;
}

/**
 * The operator's steps: confirm → pick → pack → ship; and the order saga's compensation, cancel,
 * from every open status (a shipped note has left: it cannot be cancelled, a cancelled one is
 * final).
 */
export const OUTBOUND_NOTE_TRANSITIONS = {
  confirm: { from: ['created'], to: 'confirmed', stamp: 'confirmedAt' },
  pick: { from: ['confirmed'], to: 'picking', stamp: 'pickingAt' },
  pack: { from: ['picking'], to: 'packed', stamp: 'packedAt' },
  ship: { from: ['packed'], to: 'shipped', stamp: 'shippedAt' },
  cancel: { from: ['created', 'confirmed', 'picking', 'packed'], to: 'cancelled', stamp: 'cancelledAt' },
} as const satisfies Record<string, OutboundNoteTransition>;

export type OutboundNoteStep = keyof typeof OUTBOUND_NOTE_TRANSITIONS;

/** The operator's steps that only move the note along (ship also creates the shipment). */
export type OutboundNoteProgressStep = Exclude<OutboundNoteStep, 'ship' | 'cancel'>;

/** Statuses a note is still open in: the ones cancel starts from (the contract's cancellable statuses). */
export const OPEN_NOTE_STATUSES: readonly OutboundNoteStatus[] = OUTBOUND_NOTE_TRANSITIONS.cancel.from;

/**
 * Statuses in which goods have been taken from their locations: a note cancelled from one of
 * them must have its picked goods put back (`restock_required`).
 */
export const PICKED_NOTE_STATUSES = ['picking', 'packed'] as const satisfies readonly OutboundNoteStatus[];

// The contract's list of cancellable statuses and this table's must agree (compile-time check).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const cancellableStatusesAgree: Same<(typeof OUTBOUND_NOTE_TRANSITIONS.cancel.from)[number], (typeof CANCELLABLE_NOTE_STATUSES)[number]> = true;
void cancellableStatusesAgree;
