import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module.js';
import { CustomersModule } from '../customers/customers.module.js';
import { OrdersModule } from '../orders/orders.module.js';
import { SagaModule } from '../saga/saga.module.js';
import { TenantsModule } from '../tenants/tenants.module.js';
import { ReviewController } from './review.controller.js';
import { ReviewHandler } from './review.handler.js';
import { ReviewService } from './review.service.js';

@Module({
  imports: [OrdersModule, SagaModule, CatalogModule, CustomersModule, TenantsModule],
  controllers: [ReviewController, ReviewHandler],
  providers: [ReviewService],
})
export class ReviewModule {}
