import { Module } from '@nestjs/common';
import { OrdersModule } from '../orders/orders.module.js';
import { OrderCompensation } from './order-compensation.service.js';
import { OrderSaga } from './order-saga.service.js';
import { SagaDeadlines } from './saga-deadlines.js';
import { SagaScheduler } from './saga-scheduler.js';
import { SagaHandlers } from './saga.handlers.js';
import { SagaRepository } from './saga.repository.js';
import { SagaSteps } from './saga-steps.js';

@Module({
  imports: [OrdersModule],
  controllers: [SagaHandlers],
  providers: [OrderSaga, OrderCompensation, SagaSteps, SagaDeadlines, SagaScheduler, SagaRepository],
  exports: [OrderSaga, OrderCompensation, SagaSteps, SagaDeadlines, SagaScheduler, SagaRepository],
})
export class SagaModule {}
