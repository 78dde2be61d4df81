import { Module } from '@nestjs/common';
import { ApiKeysModule } from '../api-keys/api-keys.module.js';
import { IdempotencyModule } from '../idempotency/idempotency.module.js';
import { UpstreamModule } from '../upstream/upstream.module.js';
import { CatalogController } from './catalog.controller.js';
import { StockController } from './stock.controller.js';
import { WarehousesController } from './warehouses.controller.js';

/** The public face of the inventory service: catalog, warehouses' priorities, stock. */
@Module({
  imports: [ApiKeysModule, IdempotencyModule, UpstreamModule],
  controllers: [CatalogController, WarehousesController, StockController],
})
export class InventoryModule {}
