import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module.js';
import { StockLevelRepository } from './stock-level.repository.js';
import { StockLedgerRepository } from './stock-ledger.repository.js';
import { StockController } from './stock.controller.js';
import { StockService } from './stock.service.js';

@Module({
  imports: [CatalogModule],
  controllers: [StockController],
  providers: [StockLevelRepository, StockLedgerRepository, StockService],
  exports: [StockService],
})
export class StockModule {}
