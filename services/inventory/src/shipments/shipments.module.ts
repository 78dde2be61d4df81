import { Module } from '@nestjs/common';
import { ReservationsModule } from '../reservations/reservations.module.js';
import { StockModule } from '../stock/stock.module.js';
import { ShipmentRepository } from './shipment.repository.js';
import { ShipmentsHandler } from './shipments.handler.js';
import { ShipmentsService } from './shipments.service.js';

@Module({
  imports: [ReservationsModule, StockModule],
  controllers: [ShipmentsHandler],
  providers: [ShipmentRepository, ShipmentsService],
})
export class ShipmentsModule {}
