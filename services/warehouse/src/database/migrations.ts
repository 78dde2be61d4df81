import { messagingMigrations } from '@skald/messaging';
import { idempotentRequestMigrations } from '@skald/service-kit';
import { OutboundNotes1763900000100 } from './migrations/1763900000100-outbound-notes.js';
import { Shipments1763900000200 } from './migrations/1763900000200-shipments.js';
import { NoteBatchesAndCancellation1763900000300 } from './migrations/1763900000300-note-batches-and-cancellation.js';
import { ReturnReceipts1763900000400 } from './migrations/1763900000400-return-receipts.js';
import { NoteRecipient1765060000000 } from './migrations/1765060000000-note-recipient.js';

/** Every migration of the warehouse database, in order: the platform's first, then the service's own. */
export const migrations = [
  ...messagingMigrations,
  ...idempotentRequestMigrations,
  OutboundNotes1763900000100,
  Shipments1763900000200,
  NoteBatchesAndCancellation1763900000300,
  ReturnReceipts1763900000400,
  NoteRecipient1765060000000,
];
