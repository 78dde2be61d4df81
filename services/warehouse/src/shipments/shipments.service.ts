import { Injectable, Logger } from '@nestjs/common';
import { ShipmentDeliveredV1, SkaldError } from '@skald/contracts';
import { Outbox } from '@skald/messaging';
import type { EntityManager } from 'typeorm';
import type { Shipment } from './shipment.entity.js';
import { ShipmentsRepository } from './shipments.repository.js';

/** Shipments after they left: the carrier's delivery callback. */
@Injectable()
export class ShipmentsService {
  private readonly logger = new Logger(ShipmentsService.name);

  constructor(
    private readonly shipments: ShipmentsRepository,
    private readonly outbox: Outbox,
  ) {}

  /**
   * Records that the carrier delivered the shipment and publishes ShipmentDelivered in the same
   * transaction. Carriers repeat their callbacks: a shipment already delivered is returned as
   * stored, with no second event.
   * @throws SkaldError(SHIPMENT_NOT_FOUND)
   * @throws SkaldError(DELIVERED_BEFORE_SHIPPED) when `deliveredAt` is before the shipment left
   */
  async markDelivered(manager: EntityManager, id: string, deliveredAt: Date): Promise<Shipment> {
    const recorded = await this.shipments.markDelivered(manager, id, deliveredAt);
    const shipment = await this.shipments.findById(manager, id);
    if (!shipment) throw new SkaldError('SHIPMENT_NOT_FOUND', `No shipment ${id}.`, { retryable: false });
    if (!recorded) {
      if (shipment.deliveredAt !== null) return shipment;
      throw new SkaldError(
        'DELIVERED_BEFORE_SHIPPED',
        `Shipment ${id} left at ${shipment.shippedAt.toISOString()}; it cannot have been delivered at ${deliveredAt.toISOString()}.`,
        { retryable: false, details: { shippedAt: shipment.shippedAt.toISOString() } },
      );
    }
    await this.outbox.publish(
      manager,
      ShipmentDeliveredV1,
      { shipmentId: shipment.id, noteId: shipment.noteId, orderId: shipment.orderId, deliveredAt: deliveredAt.toISOString() },
      { tenantId: shipment.tenantId, correlationId: shipment.orderId },
    );
    this.logger.log(`shipment ${shipment.id} of order ${shipment.orderId} delivered`);
    return shipment;
  }
}
