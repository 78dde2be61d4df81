import { Module } from '@nestjs/common';
import { OrdersModule } from '../orders/orders.module.js';
import { SagaModule } from '../saga/saga.module.js';
import { ModificationController } from './modification.controller.js';
import { ModificationService } from './modification.service.js';

@Module({
  imports: [OrdersModule, SagaModule],
  controllers: [ModificationController],
  providers: [ModificationService],
})
export class ModificationModule {}
