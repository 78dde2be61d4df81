import { Module } from '@nestjs/common';
import { OrdersModule } from '../orders/orders.module.js';
import { TenantsModule } from '../tenants/tenants.module.js';
import { CustomersController } from './customers.controller.js';
import { CustomersRepository } from './customers.repository.js';
import { CustomersService } from './customers.service.js';

@Module({
  imports: [OrdersModule, TenantsModule],
  controllers: [CustomersController],
  providers: [CustomersService, CustomersRepository],
  exports: [CustomersRepository],
})
export class CustomersModule {}
