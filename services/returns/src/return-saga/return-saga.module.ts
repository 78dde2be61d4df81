import { Module } from '@nestjs/common';
import { ReturnPolicyModule } from '../return-policy/return-policy.module.js';
import { ReturnMetrics } from './return-metrics.js';
import { ReturnSagaHandlers } from './return-saga.handlers.js';
import { ReturnSagaScheduler } from './return-saga.scheduler.js';
import { ReturnSaga } from './return-saga.service.js';
import { ReturnSagaStore } from './return-saga.store.js';
import { ReturnSteps } from './return-steps.js';

/** The return saga: its table (return-saga.definition.ts), steps, message handlers and deadlines. */
@Module({
  imports: [ReturnPolicyModule],
  controllers: [ReturnSagaHandlers],
  providers: [ReturnSagaStore, ReturnSteps, ReturnSaga, ReturnSagaScheduler, ReturnMetrics],
  exports: [ReturnSagaStore, ReturnSteps, ReturnSaga],
})
export class ReturnSagaModule {}
