import { Module, type DynamicModule } from '@nestjs/common';
import { SkaldServiceModule, type BaseServiceConfig } from '@skald/service-kit';
import { CatalogModule } from './catalog/catalog.module.js';
import { CustomersModule } from './customers/customers.module.js';
import { entities } from './database/entities.js';
import { IntakeModule } from './intake/intake.module.js';
import { OrdersModule } from './orders/orders.module.js';
import { ReviewModule } from './review/review.module.js';
import { SagaModule } from './saga/saga.module.js';
import { TenantsModule } from './tenants/tenants.module.js';

/** Stable error codes of the orders service and their HTTP statuses. */
export const ORDERS_ERROR_STATUSES = {
  ORDER_NOT_FOUND: 404,
  ORDER_EXTERNAL_ID_EXISTS: 409,
  ORDER_NOT_ON_HOLD: 409,
};

@Module({})
export class AppModule {
  static register(config: BaseServiceConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        SkaldServiceModule.forRoot({ service: 'orders', config, entities, errorStatuses: ORDERS_ERROR_STATUSES }),
        OrdersModule,
        IntakeModule,
        ReviewModule,
        SagaModule,
        CustomersModule,
        CatalogModule,
        TenantsModule,
      ],
    };
  }
}
