import { Module } from '@nestjs/common';
import { Shipment } from './shipment.entity.js';
import { ShipmentsController } from './shipments.controller.js';
import { ShipmentsRepository } from './shipments.repository.js';
import { ShipmentsService } from './shipments.service.js';

export const shipmentEntities = [Shipment];

/** HTTP status of each error code this capability raises. */
export const shipmentErrorStatuses = {
  SHIPMENT_NOT_FOUND: 404,
  DELIVERED_BEFORE_SHIPPED: 422,
};

/** Shipments: created when a note ships (OutboundNotesModule), delivered by the carrier's callback. */
@Module({
  controllers: [ShipmentsController],
  providers: [ShipmentsRepository, ShipmentsService],
  exports: [ShipmentsRepository],
})
export class ShipmentsModule {}
