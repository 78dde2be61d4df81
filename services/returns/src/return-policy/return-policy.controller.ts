import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, ApiProblems, IdempotencyOf, IdempotentRequests, type IdempotentCall } from '@skald/service-kit';
import { DataSource } from 'typeorm';
import { PlatformIdParams, ReturnPolicyBody, ReturnPolicyView } from './return-policy.dto.js';
import { ReturnPolicyRepository } from './return-policy.repository.js';
import { DEFAULT_RETURN_POLICY } from './return-rules.js';

/** Each platform's return policy (staff `admin` sets it; reviewers and ops read it). */
@ApiTags('returns')
@Controller('v1/platforms/:platformId/return-policy')
export class ReturnPolicyController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly idempotent: IdempotentRequests,
    private readonly policies: ReturnPolicyRepository,
  ) {}

  @Get()
  @Access({ roles: ['admin', 'reviewer', 'ops'] })
  @ApiOperation({ summary: "Read a platform's return policy (the defaults while it has none)" })
  @ApiOkResponse({ type: ReturnPolicyView })
  @ApiProblems([400, 401, 403])
  async get(@Param() { platformId }: PlatformIdParams): Promise<ReturnPolicyView> {
    return { platformId, ...(await this.policies.of(this.dataSource.manager, platformId)) };
  }

  @Put()
  @Access({ roles: ['admin'] })
  @ApiOperation({ summary: "Set a platform's return policy (window, review reasons and amount, scrap refund share)" })
  @ApiOkResponse({ type: ReturnPolicyView })
  @ApiProblems([400, 401, 403])
  put(@Param() { platformId }: PlatformIdParams, @Body() body: ReturnPolicyBody, @IdempotencyOf() call: IdempotentCall): Promise<ReturnPolicyView> {
    return this.idempotent.transaction(call, async (manager) => {
      await this.policies.save(manager, platformId, {
        windowDays: body.windowDays ?? DEFAULT_RETURN_POLICY.windowDays,
        reviewReasons: [...new Set(body.reviewReasons ?? [])],
        reviewAbove: body.reviewAbove === undefined || body.reviewAbove === null ? null : String(body.reviewAbove),
        scrapRefundPercent: body.scrapRefundPercent ?? DEFAULT_RETURN_POLICY.scrapRefundPercent,
      });
      return { platformId, ...(await this.policies.of(manager, platformId)) };
    });
  }
}
