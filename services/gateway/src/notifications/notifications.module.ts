import { Module } from '@nestjs/common';
import { ApiKeysModule } from '../api-keys/api-keys.module.js';
import { UpstreamModule } from '../upstream/upstream.module.js';
import { DeliveriesController } from './deliveries.controller.js';

/** The public face of the notifications service: its deliveries, for operators. (Webhook subscriptions are the gateway's own, in webhooks/.) */
@Module({
  imports: [ApiKeysModule, UpstreamModule],
  controllers: [DeliveriesController],
})
export class NotificationsModule {}
