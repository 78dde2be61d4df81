import { Module } from '@nestjs/common';
import { ApiKeysModule } from '../api-keys/api-keys.module.js';
import { IdempotencyModule } from '../idempotency/idempotency.module.js';
import { UpstreamModule } from '../upstream/upstream.module.js';
import { DeadLettersController } from './dead-letters.controller.js';
import { DeadLettersService } from './dead-letters.service.js';

/** On-call's dead letters across the services (role ops). */
@Module({
  imports: [ApiKeysModule, IdempotencyModule, UpstreamModule],
  controllers: [DeadLettersController],
  providers: [DeadLettersService],
})
export class DeadLettersModule {}
