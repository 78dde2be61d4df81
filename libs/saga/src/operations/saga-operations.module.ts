import { Module, type DynamicModule } from '@nestjs/common';
import { TIMELINE_SERVICE_NAME, timelineSource } from '@skald/service-kit';
import { DataSource } from 'typeorm';
import type { SagaDefinition } from '../definition/saga-definition.js';
import { SagaLists } from './saga-lists.js';
import { SagasController } from './sagas.controller.js';
import { SagaTimelineSource } from './saga-timeline-source.js';

/**
 * What on-call sees of a service's sagas: their step log and current state in the service's part
 * of the saga timeline (SagaTimelineSource), and `GET /internal/sagas?state=stuck|compensating`.
 * A service running sagas imports `SagaOperationsModule.forSagas([ORDER_SAGA])` once.
 */
@Module({})
export class SagaOperationsModule {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  static forSagas(definitions: ReadonlyArray<SagaDefinition<any, any, any, any>>): DynamicModule {
    return {
      module: SagaOperationsModule,
      controllers: [SagasController],
      providers: [
        timelineSource({
          provide: SagaTimelineSource,
          inject: [TIMELINE_SERVICE_NAME, DataSource],
          useFactory: (service: string, dataSource: DataSource) => new SagaTimelineSource(service, dataSource, definitions),
        }),
        {
          provide: SagaLists,
          inject: [TIMELINE_SERVICE_NAME, DataSource],
          useFactory: (service: string, dataSource: DataSource) => new SagaLists(service, dataSource, definitions),
        },
      ],
      exports: [SagaTimelineSource, SagaLists],
    };
  }
}
