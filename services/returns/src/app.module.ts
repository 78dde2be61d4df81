import { Module, type DynamicModule } from '@nestjs/common';
import { SagaOperationsModule, sagaEntities } from '@skald/saga';
import { IdempotentRequestsModule, SkaldServiceModule } from '@skald/service-kit';
import { ReturnAnalyticsModule } from './return-analytics/return-analytics.module.js';
import type { ReturnsConfig } from './config/returns-config.js';
import { ReturnPolicyModule, returnPolicyEntities } from './return-policy/return-policy.module.js';
import { ReturnRequestsModule, returnErrorStatuses, returnRequestEntities } from './return-requests/return-requests.module.js';
import { RETURN_SAGA } from './return-saga/return-saga.definition.js';
import { ReturnSagaModule } from './return-saga/return-saga.module.js';
import { ReturnableOrdersModule, returnableOrderEntities } from './returnable-orders/returnable-orders.module.js';

@Module({})
export class AppModule {
  static register(config: ReturnsConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        SkaldServiceModule.forRoot({
          service: 'returns',
          config,
          entities: [...returnableOrderEntities, ...returnPolicyEntities, ...returnRequestEntities, ...sagaEntities],
          errorStatuses: returnErrorStatuses,
        }),
        IdempotentRequestsModule,
        ReturnableOrdersModule,
        ReturnPolicyModule,
        ReturnSagaModule,
        SagaOperationsModule.forSagas([RETURN_SAGA]),
        ReturnRequestsModule,
        ReturnAnalyticsModule,
      ],
    };
  }
}
