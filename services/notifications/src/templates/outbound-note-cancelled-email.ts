import { renderEmail, type RenderedEmail } from './layout.js';

export interface CancelledNoteView {
  noteId: string;
  orderId: string;
  warehouse: string;
  reason: string;
  /** The note was picking or packed: the picked goods go back to their locations. */
  restocked: boolean;
  lines: Array<{ sku: string; quantity: number }>;
}

/** Tells a warehouse's staff to stop working an outbound note, and to put picked goods back. */
export function outboundNoteCancelledEmail(note: CancelledNoteView): RenderedEmail {
  const lines = { list: note.lines.map((line) => `${line.quantity} × ${line.sku}`) };
  return renderEmail(
    {
      subject: note.restocked
        ? `[${note.warehouse}] STOP: outbound note ${note.noteId} cancelled, put the picked goods back`
        : `[${note.warehouse}] STOP: outbound note ${note.noteId} cancelled`,
      blocks: [
        `Stop: outbound note ${note.noteId} of order ${note.orderId} in warehouse ${note.warehouse} was cancelled. Do not pick, pack or ship it.`,
        `Reason: ${note.reason}`,
        ...(note.restocked
          ? ['Its goods were already picked: put them back to their locations.', 'Picked:', lines]
          : ['Nothing of it was picked yet.', 'It listed:', lines]),
      ],
    },
    'Skald notifications',
  );
}
