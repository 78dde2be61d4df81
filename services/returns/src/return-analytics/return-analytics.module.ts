import { Module } from '@nestjs/common';
import { ReturnAnalyticsController } from './return-analytics.controller.js';
import { ReturnAnalytics } from './return-analytics.service.js';

/** Return figures for product and sales decisions (GET /v1/analytics/returns). */
@Module({ controllers: [ReturnAnalyticsController], providers: [ReturnAnalytics] })
export class ReturnAnalyticsModule {}
