import { Module } from '@nestjs/common';
import { IntakeModule } from '../intake/intake.module.js';
import { OrdersModule } from '../orders/orders.module.js';
import { SagaModule } from '../saga/saga.module.js';
import { TenantsModule } from '../tenants/tenants.module.js';
import { ReplacementOrdersHandler } from './replacement-orders.handler.js';
import { ReplacementOrders } from './replacement-orders.service.js';

/** Replacement orders of exchanged returns (the returns service asks for them). */
@Module({
  imports: [OrdersModule, SagaModule, TenantsModule, IntakeModule],
  controllers: [ReplacementOrdersHandler],
  providers: [ReplacementOrders],
})
export class ReplacementOrdersModule {}
