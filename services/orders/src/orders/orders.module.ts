import { Module } from '@nestjs/common';
import { OrderQueries } from './order-queries.service.js';
import { OrdersController } from './orders.controller.js';
import { OrdersRepository } from './orders.repository.js';
import { SagaRepository } from '../saga/saga.repository.js';

@Module({
  controllers: [OrdersController],
  // The saga's repository (stateless) for the saga's state in the order view.
  providers: [OrdersRepository, OrderQueries, SagaRepository],
  exports: [OrdersRepository],
})
export class OrdersModule {}
