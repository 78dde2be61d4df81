import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module.js';
import { ReservationsModule } from '../reservations/reservations.module.js';
import { StockModule } from '../stock/stock.module.js';
import { WarehousesModule } from '../warehouses/warehouses.module.js';
import { ReceiptRepository } from './receipt.repository.js';
import { ReceiptsController } from './receipts.controller.js';
import { ReceiptsService } from './receipts.service.js';

@Module({
  imports: [CatalogModule, StockModule, WarehousesModule, ReservationsModule],
  controllers: [ReceiptsController],
  providers: [ReceiptRepository, ReceiptsService],
})
export class ReceiptsModule {}
