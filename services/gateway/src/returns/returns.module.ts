import { Module } from '@nestjs/common';
import { ApiKeysModule } from '../api-keys/api-keys.module.js';
import { IdempotencyModule } from '../idempotency/idempotency.module.js';
import { UpstreamModule } from '../upstream/upstream.module.js';
import { ReturnAnalyticsController } from './return-analytics.controller.js';
import { ReturnPolicyController } from './return-policy.controller.js';
import { ReturnRequestsController } from './return-requests.controller.js';

/** The public face of the returns service: returns (RMAs), return policies, return analytics. */
@Module({
  imports: [ApiKeysModule, IdempotencyModule, UpstreamModule],
  controllers: [ReturnRequestsController, ReturnPolicyController, ReturnAnalyticsController],
})
export class ReturnsModule {}
