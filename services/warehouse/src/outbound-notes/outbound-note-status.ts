/**
 * The life of an outbound note, in one place: its statuses and the steps that move it.
 *
 * Cancellation (a `cancelled` status reachable from every open status) and partial shipments
 * extend this table; the database CHECK constraint on `outbound_note.status` follows it by
 * migration.
 */
export const OUTBOUND_NOTE_STATUSES = ['created', 'confirmed', 'picking', 'packed', 'shipped'] as const;
export type OutboundNoteStatus = (typeof OUTBOUND_NOTE_STATUSES)[number];

/** The entity property each step stamps with its time. */
export type OutboundNoteStamp = 'confirmedAt' | 'pickingAt' | 'packedAt' | 'shippedAt';

export interface OutboundNoteTransition {
  /** The statuses the step may start from. */
  readonly from: readonly OutboundNoteStatus[];
  readonly to: OutboundNoteStatus;
  readonly stamp: OutboundNoteStamp;
}

/** The operator's steps: confirm → pick → pack → ship. */
export const OUTBOUND_NOTE_TRANSITIONS = {
  confirm: { from: ['created'], to: 'confirmed', stamp: 'confirmedAt' },
  pick: { from: ['confirmed'], to: 'picking', stamp: 'pickingAt' },
  pack: { from: ['picking'], to: 'packed', stamp: 'packedAt' },
  ship: { from: ['packed'], to: 'shipped', stamp: 'shippedAt' },
} as const satisfies Record<string, OutboundNoteTransition>;

export type OutboundNoteStep = keyof typeof OUTBOUND_NOTE_TRANSITIONS;

/** The steps that only move the note along (ship also creates the shipment). */
export type OutboundNoteProgressStep = Exclude<OutboundNoteStep, 'ship'>;
