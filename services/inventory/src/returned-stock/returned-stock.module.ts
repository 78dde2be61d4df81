import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module.js';
import { ReservationsModule } from '../reservations/reservations.module.js';
import { StockModule } from '../stock/stock.module.js';
import { WarehousesModule } from '../warehouses/warehouses.module.js';
import { ReturnedStockHandler } from './returned-stock.handler.js';
import { ReturnedStockRepository } from './returned-stock.repository.js';
import { ReturnedStockService } from './returned-stock.service.js';

/** Returned goods booked by grade: restocked, quarantined or written off (the return saga's command). */
@Module({
  imports: [CatalogModule, StockModule, WarehousesModule, ReservationsModule],
  controllers: [ReturnedStockHandler],
  providers: [ReturnedStockRepository, ReturnedStockService],
})
export class ReturnedStockModule {}
