import { Module } from '@nestjs/common';
import { WarehouseRepository } from './warehouse.repository.js';
import { WarehousesController } from './warehouses.controller.js';
import { WarehousesService } from './warehouses.service.js';

@Module({
  controllers: [WarehousesController],
  providers: [WarehouseRepository, WarehousesService],
  exports: [WarehousesService],
})
export class WarehousesModule {}
