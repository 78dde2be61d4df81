import { Module } from '@nestjs/common';
import { ReturnSagaScheduler } from './return-saga.scheduler.js';
import { ReturnSagaStore } from './return-saga.store.js';

/** The return saga: its table (return-saga.definition.ts), store and deadlines. */
@Module({
  providers: [ReturnSagaStore, ReturnSagaScheduler],
  exports: [ReturnSagaStore],
})
export class ReturnSagaModule {}
