import { Module, type DynamicModule } from '@nestjs/common';
import { SkaldServiceModule } from '@skald/service-kit';
import type { NotificationsConfig } from './config/notifications-config.js';
import { DeliveryAttempt } from './deliveries/delivery-attempt.entity.js';
import { Delivery } from './deliveries/delivery.entity.js';
import { DeliveriesModule } from './deliveries/deliveries.module.js';
import { OrderNotificationsModule } from './order-notifications/order-notifications.module.js';
import { PurchasingNotificationsModule } from './purchasing-notifications/purchasing-notifications.module.js';
import { ReturnNotificationsModule } from './return-notifications/return-notifications.module.js';
import { SubscriptionsModule } from './subscriptions/subscriptions.module.js';
import { WebhookSubscription } from './subscriptions/webhook-subscription.entity.js';
import { WarehouseNotificationsModule } from './warehouse-notifications/warehouse-notifications.module.js';

@Module({})
export class AppModule {
  static register(config: NotificationsConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        SkaldServiceModule.forRoot({
          service: 'notifications',
          config,
          entities: [Delivery, DeliveryAttempt, WebhookSubscription],
          errorStatuses: { INVALID_CURSOR: 400 },
        }),
        SubscriptionsModule,
        DeliveriesModule,
        OrderNotificationsModule,
        ReturnNotificationsModule,
        WarehouseNotificationsModule,
        PurchasingNotificationsModule,
      ],
    };
  }
}
