import { Module } from '@nestjs/common';
import { OrdersModule } from '../orders/orders.module.js';
import { OrderCompensation } from './order-compensation.service.js';
import { OrderSaga } from './order-saga.service.js';
import { SagaScheduler } from './saga-scheduler.js';
import { SagaHandlers } from './saga.handlers.js';
import { SagaSteps } from './saga-steps.js';

/** The order saga: its table (order-saga.definition.ts), steps, compensation, deadlines and message handlers. */
@Module({
  imports: [OrdersModule],
  controllers: [SagaHandlers],
  providers: [OrderSaga, OrderCompensation, SagaSteps, SagaScheduler],
  exports: [OrderSaga, OrderCompensation, SagaSteps, SagaScheduler],
})
export class SagaModule {}
