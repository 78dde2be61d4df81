import { Module } from '@nestjs/common';
import { ApiKeysModule } from '../api-keys/api-keys.module.js';
import { UpstreamModule } from '../upstream/upstream.module.js';
import { SagasController } from './sagas.controller.js';
import { SagaTimelines } from './saga-timelines.service.js';

/** On-call views of sagas across the services: a saga's merged timeline and the lists of sagas that need a look. */
@Module({
  imports: [ApiKeysModule, UpstreamModule],
  controllers: [SagasController],
  providers: [SagaTimelines],
})
export class SagasModule {}
