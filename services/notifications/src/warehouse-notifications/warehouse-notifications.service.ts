import { Inject, Injectable, Logger } from '@nestjs/common';
import type { MessageEnvelope, OutboundNotesCancelled, OutboundNotesCreated } from '@skald/contracts';
import type { EntityManager } from 'typeorm';
import { WarehouseRecipients } from '../config/warehouse-recipients.js';
import { DeliveryPlanner, type PlannedDelivery } from '../deliveries/delivery-planner.service.js';
import { outboundNoteCancelledEmail } from '../templates/outbound-note-cancelled-email.js';
import { outboundNoteEmail } from '../templates/outbound-note-email.js';

/** Tells warehouse staff about new outbound notes, and to stop working cancelled ones. */
@Injectable()
export class WarehouseNotificationsService {
  private readonly logger = new Logger(WarehouseNotificationsService.name);

  constructor(
    private readonly planner: DeliveryPlanner,
    @Inject(WarehouseRecipients) private readonly recipients: WarehouseRecipients,
  ) {}

  /** Plans an e-mail per note to each recipient of the note's warehouse (NOTIFY_WAREHOUSE_RECIPIENTS). */
  async planOutboundNotes(manager: EntityManager, envelope: MessageEnvelope, created: OutboundNotesCreated): Promise<void> {
    const planned: PlannedDelivery[] = [];
    for (const note of created.notes) {
      const addresses = this.recipients.for(note.warehouse);
      if (addresses.length === 0) {
        this.logger.warn(`outbound note ${note.noteId}: no recipient for warehouse ${note.warehouse} in NOTIFY_WAREHOUSE_RECIPIENTS`);
        continue;
      }
      const payload = outboundNoteEmail({ ...note, orderId: created.orderId, externalId: created.externalId });
      for (const address of addresses) planned.push({ channel: 'email', target: address, topic: note.noteId, payload });
    }
    await this.planner.plan(manager, { messageId: envelope.id, tenantId: envelope.tenantId, orderId: created.orderId }, planned);
  }

  /**
   * Plans a "stop" e-mail per note cancelled by this message to each recipient of the note's
   * warehouse (NOTIFY_WAREHOUSE_RECIPIENTS), telling them to put picked goods back when the note
   * was picking or packed. Notes the message reports as cancelled before (`previousStatus:
   * cancelled`, a re-sent command) were told about with the first answer; shipped notes are not
   * the warehouse's concern any more.
   */
  async planCancelledNotes(manager: EntityManager, envelope: MessageEnvelope, cancelled: OutboundNotesCancelled): Promise<void> {
    const planned: PlannedDelivery[] = [];
    for (const note of cancelled.cancelled) {
      if (note.previousStatus === 'cancelled') continue;
      const addresses = this.recipients.for(note.warehouse);
      if (addresses.length === 0) {
        this.logger.warn(`cancelled outbound note ${note.noteId}: no recipient for warehouse ${note.warehouse} in NOTIFY_WAREHOUSE_RECIPIENTS`);
        continue;
      }
      const payload = outboundNoteCancelledEmail({ ...note, orderId: cancelled.orderId, reason: cancelled.reason });
      for (const address of addresses) planned.push({ channel: 'email', target: address, topic: note.noteId, payload });
    }
    await this.planner.plan(manager, { messageId: envelope.id, tenantId: envelope.tenantId, orderId: cancelled.orderId }, planned);
  }
}
