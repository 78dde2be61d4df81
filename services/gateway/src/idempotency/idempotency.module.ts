import { Module } from '@nestjs/common';
import { IdempotencyCleanup } from './idempotency-cleanup.js';
import { IdempotencyInterceptor } from './idempotency.interceptor.js';
import { IdempotencyRepository } from './idempotency.repository.js';
import { IdempotencyService } from './idempotency.service.js';

/** Idempotency-Key for POST and PUT: records, the interceptor, and the 24 h cleanup. */
@Module({
  providers: [IdempotencyRepository, IdempotencyService, IdempotencyInterceptor, IdempotencyCleanup],
  exports: [IdempotencyService, IdempotencyInterceptor],
})
export class IdempotencyModule {}
