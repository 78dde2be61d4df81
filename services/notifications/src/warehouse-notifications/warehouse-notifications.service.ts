import { Inject, Injectable, Logger } from '@nestjs/common';
import type { MessageEnvelope, OutboundNotesCreated } from '@skald/contracts';
import type { EntityManager } from 'typeorm';
import { WarehouseRecipients } from '../config/warehouse-recipients.js';
import { DeliveryPlanner, type PlannedDelivery } from '../deliveries/delivery-planner.service.js';
import { outboundNoteEmail } from '../templates/outbound-note-email.js';

/** Tells warehouse staff about new outbound notes. */
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
}
