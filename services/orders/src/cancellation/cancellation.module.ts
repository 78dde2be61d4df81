import { Module } from '@nestjs/common';
import { OrdersModule } from '../orders/orders.module.js';
import { SagaModule } from '../saga/saga.module.js';
import { CancellationController } from './cancellation.controller.js';
import { CancellationService } from './cancellation.service.js';

@Module({
  imports: [OrdersModule, SagaModule],
  controllers: [CancellationController],
  providers: [CancellationService],
})
export class CancellationModule {}
