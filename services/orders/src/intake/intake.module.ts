import { Module } from '@nestjs/common';
import { OrdersModule } from '../orders/orders.module.js';
import { SagaModule } from '../saga/saga.module.js';
import { TenantsModule } from '../tenants/tenants.module.js';
import { IntakeController } from './intake.controller.js';
import { IntakeService } from './intake.service.js';

@Module({
  imports: [OrdersModule, SagaModule, TenantsModule],
  controllers: [IntakeController],
  providers: [IntakeService],
  exports: [IntakeService],
})
export class IntakeModule {}
