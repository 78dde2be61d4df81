import { Module } from '@nestjs/common';
import { OrderQueries } from './order-queries.service.js';
import { OrdersController } from './orders.controller.js';
import { OrdersRepository } from './orders.repository.js';

@Module({
  controllers: [OrdersController],
  providers: [OrdersRepository, OrderQueries],
  exports: [OrdersRepository],
})
export class OrdersModule {}
