import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module.js';
import { StockModule } from '../stock/stock.module.js';
import { BackorderRepository } from './backorder.repository.js';
import { BackordersService } from './backorders.service.js';
import { ReleaseService } from './release.service.js';
import { ReservationExpirySweeper } from './reservation-expiry.sweeper.js';
import { ReservationHold } from './reservation-hold.js';
import { ReservationRepository } from './reservation.repository.js';
import { ReservationsHandler } from './reservations.handler.js';
import { ReservationsService } from './reservations.service.js';

@Module({
  imports: [CatalogModule, StockModule],
  controllers: [ReservationsHandler],
  providers: [
    ReservationRepository,
    BackorderRepository,
    ReservationHold,
    ReservationsService,
    BackordersService,
    ReleaseService,
    ReservationExpirySweeper,
  ],
  exports: [ReservationsService, BackordersService, ReservationExpirySweeper],
})
export class ReservationsModule {}
