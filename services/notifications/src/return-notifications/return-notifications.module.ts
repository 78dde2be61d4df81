import { Module } from '@nestjs/common';
import { DeliveriesModule } from '../deliveries/deliveries.module.js';
import { SubscriptionsModule } from '../subscriptions/subscriptions.module.js';
import { ReturnRefundNotificationsHandler } from './return-refund-notifications.handler.js';
import { ReturnRefundNotificationsService } from './return-refund-notifications.service.js';
import { ReturnStatusNotificationsHandler } from './return-status-notifications.handler.js';
import { ReturnStatusNotificationsService } from './return-status-notifications.service.js';

/** Customers and platforms told about return (RMA) status changes; platforms instructed to refund returns. */
@Module({
  imports: [DeliveriesModule, SubscriptionsModule],
  controllers: [ReturnStatusNotificationsHandler, ReturnRefundNotificationsHandler],
  providers: [ReturnStatusNotificationsService, ReturnRefundNotificationsService],
})
export class ReturnNotificationsModule {}
