import { Module } from '@nestjs/common';
import { DeliveriesModule } from '../deliveries/deliveries.module.js';
import { SubscriptionsModule } from '../subscriptions/subscriptions.module.js';
import { OrderStatusNotificationsHandler } from './order-status-notifications.handler.js';
import { OrderStatusNotificationsService } from './order-status-notifications.service.js';
import { RefundNotificationsHandler } from './refund-notifications.handler.js';
import { RefundNotificationsService } from './refund-notifications.service.js';

/** Customers and platforms told about every order status change; platforms instructed to refund. */
@Module({
  imports: [DeliveriesModule, SubscriptionsModule],
  controllers: [OrderStatusNotificationsHandler, RefundNotificationsHandler],
  providers: [OrderStatusNotificationsService, RefundNotificationsService],
})
export class OrderNotificationsModule {}
