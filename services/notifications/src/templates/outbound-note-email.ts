import { renderEmail, type RenderedEmail } from './layout.js';

export interface OutboundNoteView {
  noteId: string;
  orderId: string;
  externalId: string;
  warehouse: string;
  lines: Array<{ sku: string; quantity: number }>;
}

/** Tells a warehouse's staff that an outbound note waits for them. */
export function outboundNoteEmail(note: OutboundNoteView): RenderedEmail {
  return renderEmail(
    {
      subject: `[${note.warehouse}] Outbound note ${note.noteId} for order ${note.externalId}`,
      blocks: [
        `A new outbound note waits in warehouse ${note.warehouse}: ${note.noteId} for order ${note.externalId} (${note.orderId}).`,
        'To pick:',
        { list: note.lines.map((line) => `${line.quantity} × ${line.sku}`) },
        'Confirm it in the warehouse application before picking.',
      ],
    },
    'Skald notifications',
  );
}
