import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, ApiProblems } from '@skald/service-kit';
import { ReturnAnalyticsQuery, ReturnAnalyticsView } from './return-analytics.dto.js';
import { ReturnAnalytics } from './return-analytics.service.js';

@ApiTags('returns')
@Controller('v1/analytics/returns')
export class ReturnAnalyticsController {
  constructor(private readonly analytics: ReturnAnalytics) {}

  @Get()
  @Access({ roles: ['ops', 'admin', 'reviewer'] })
  @ApiOperation({ summary: 'Returned and shipped units, return rate and returns, by reason, SKU or channel' })
  @ApiOkResponse({ type: ReturnAnalyticsView })
  @ApiProblems([400, 401, 403])
  figures(@Query() query: ReturnAnalyticsQuery): Promise<ReturnAnalyticsView> {
    return this.analytics.figures(query);
  }
}
