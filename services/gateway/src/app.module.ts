import { Module, type DynamicModule } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { SkaldServiceModule } from '@skald/service-kit';
import type { GatewayConfig } from './config/gateway-config.js';
import { entities } from './database/entities.js';
import { GATEWAY_ERROR_STATUSES } from './errors.js';
import { ReplyInterceptor } from './http/reply.interceptor.js';
import { DeadLettersModule } from './dead-letters/dead-letters.module.js';
import { IdempotencyModule } from './idempotency/idempotency.module.js';
import { InventoryModule } from './inventory/inventory.module.js';
import { NotificationsModule } from './notifications/notifications.module.js';
import { OpsConsoleModule } from './ops-console/ops-console.module.js';
import { OrdersModule } from './orders/orders.module.js';
import { ReturnsModule } from './returns/returns.module.js';
import { SagasModule } from './sagas/sagas.module.js';
import { WarehouseModule } from './warehouse/warehouse.module.js';
import { WebhooksModule } from './webhooks/webhooks.module.js';

@Module({})
export class AppModule {
  static register(config: GatewayConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        SkaldServiceModule.forRoot({ service: 'gateway', config, entities, errorStatuses: GATEWAY_ERROR_STATUSES, publicEdge: true }),
        IdempotencyModule,
        OrdersModule,
        InventoryModule,
        WarehouseModule,
        ReturnsModule,
        WebhooksModule,
        NotificationsModule,
        OpsConsoleModule,
        DeadLettersModule,
        SagasModule,
      ],
      // Outermost: writes the `Reply` of forwarded and replayed answers.
      providers: [{ provide: APP_INTERCEPTOR, useClass: ReplyInterceptor }],
    };
  }
}
