import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module.js';
import { WarehousesModule } from '../warehouses/warehouses.module.js';
import { LowStockThresholdRepository } from './low-stock-threshold.repository.js';
import { StockLevelRepository } from './stock-level.repository.js';
import { StockLedgerRepository } from './stock-ledger.repository.js';
import { StockController } from './stock.controller.js';
import { StockService } from './stock.service.js';

@Module({
  imports: [CatalogModule, WarehousesModule],
  controllers: [StockController],
  providers: [StockLevelRepository, StockLedgerRepository, LowStockThresholdRepository, StockService],
  exports: [StockService],
})
export class StockModule {}
