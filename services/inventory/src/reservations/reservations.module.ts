import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module.js';
import { StockModule } from '../stock/stock.module.js';
import { ReservationRepository } from './reservation.repository.js';
import { ReservationsHandler } from './reservations.handler.js';
import { ReservationsService } from './reservations.service.js';

@Module({
  imports: [CatalogModule, StockModule],
  controllers: [ReservationsHandler],
  providers: [ReservationRepository, ReservationsService],
  exports: [ReservationsService],
})
export class ReservationsModule {}
