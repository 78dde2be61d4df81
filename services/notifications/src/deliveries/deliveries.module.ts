import { Module } from '@nestjs/common';
import { timelineSource } from '@skald/service-kit';
import { ChannelsModule } from '../channels/channels.module.js';
import { SubscriptionsModule } from '../subscriptions/subscriptions.module.js';
import { DeliveriesController } from './deliveries.controller.js';
import { DeliveriesRepository } from './deliveries.repository.js';
import { DeliveriesService } from './deliveries.service.js';
import { DeliveryDispatcher } from './delivery-dispatcher.js';
import { DeliveryPlanner } from './delivery-planner.service.js';
import { DeliverySender } from './delivery-sender.js';
import { DeliveryTimelineSource } from './delivery-timeline-source.js';

/** The delivery engine: planning (in the caller's transaction), the dispatcher, and the operators' view. */
@Module({
  imports: [ChannelsModule, SubscriptionsModule],
  controllers: [DeliveriesController],
  providers: [DeliveriesRepository, DeliveriesService, DeliverySender, DeliveryPlanner, DeliveryDispatcher, timelineSource(DeliveryTimelineSource)],
  exports: [DeliveryPlanner],
})
export class DeliveriesModule {}
