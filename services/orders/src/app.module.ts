import { Module, type DynamicModule } from '@nestjs/common';
import { SagaOperationsModule } from '@skald/saga';
import { IdempotentRequestsModule, SkaldServiceModule, type BaseServiceConfig } from '@skald/service-kit';
import { CancellationModule } from './cancellation/cancellation.module.js';
import { CatalogModule } from './catalog/catalog.module.js';
import { CustomersModule } from './customers/customers.module.js';
import { entities } from './database/entities.js';
import { IntakeModule } from './intake/intake.module.js';
import { ModificationModule } from './modification/modification.module.js';
import { OrdersModule } from './orders/orders.module.js';
import { ReviewModule } from './review/review.module.js';
import { ReplacementOrdersModule } from './replacement-orders/replacement-orders.module.js';
import { ORDER_SAGA } from './saga/order-saga.definition.js';
import { SagaModule } from './saga/saga.module.js';
import { TenantsModule } from './tenants/tenants.module.js';

/** Stable error codes of the orders service and their HTTP statuses. */
export const ORDERS_ERROR_STATUSES = {
  ORDER_NOT_FOUND: 404,
  ORDER_EXTERNAL_ID_EXISTS: 409,
  ORDER_NOT_ON_HOLD: 409,
  ORDER_SHIPPED: 409,
  ORDER_CLOSED: 409,
  ORDER_LOCKED: 409,
  BACKORDER_DEADLINE_PAST: 422,
  PLATFORM_NOT_FOUND: 404,
  CUSTOMER_NOT_FOUND: 404,
  BACKORDER_DEADLINE_TOO_FAR: 422,
  AMOUNT_OUT_OF_RANGE: 422,
};

@Module({})
export class AppModule {
  static register(config: BaseServiceConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        SkaldServiceModule.forRoot({ service: 'orders', config, entities, errorStatuses: ORDERS_ERROR_STATUSES }),
        IdempotentRequestsModule,
        OrdersModule,
        IntakeModule,
        ReviewModule,
        CancellationModule,
        ModificationModule,
        SagaModule,
        SagaOperationsModule.forSagas([ORDER_SAGA]),
        ReplacementOrdersModule,
        CustomersModule,
        CatalogModule,
        TenantsModule,
      ],
    };
  }
}
