import { Module } from '@nestjs/common';
import { OrderQueries } from './order-queries.service.js';
import { OrdersController } from './orders.controller.js';
import { OrdersRepository } from './orders.repository.js';
import { OrderSagaStore } from '../saga/order-saga.store.js';

@Module({
  controllers: [OrdersController],
  // The order saga's store here: the order view shows the saga, intake creates it, the saga module moves it.
  providers: [OrdersRepository, OrderQueries, OrderSagaStore],
  exports: [OrdersRepository, OrderSagaStore],
})
export class OrdersModule {}
