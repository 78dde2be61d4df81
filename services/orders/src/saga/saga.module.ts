import { Module } from '@nestjs/common';
import { OrdersModule } from '../orders/orders.module.js';
import { OrderSaga } from './order-saga.service.js';
import { SagaHandlers } from './saga.handlers.js';
import { SagaRepository } from './saga.repository.js';

@Module({
  imports: [OrdersModule],
  controllers: [SagaHandlers],
  providers: [OrderSaga, SagaRepository],
  exports: [OrderSaga, SagaRepository],
})
export class SagaModule {}
