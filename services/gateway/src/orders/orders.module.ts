import { Module } from '@nestjs/common';
import { ApiKeysModule } from '../api-keys/api-keys.module.js';
import { IdempotencyModule } from '../idempotency/idempotency.module.js';
import { UpstreamModule } from '../upstream/upstream.module.js';
import { CustomersController } from './customers.controller.js';
import { OrdersController } from './orders.controller.js';
import { ReviewsController } from './reviews.controller.js';

/** The public face of the orders service: orders, the review queue, customers' credit. */
@Module({
  imports: [ApiKeysModule, IdempotencyModule, UpstreamModule],
  controllers: [OrdersController, ReviewsController, CustomersController],
})
export class OrdersModule {}
