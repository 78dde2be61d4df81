import { Body, Controller, Get, Param, Put, Req } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import type { Caller } from '@skald/service-kit';
import { ProblemDto } from '@skald/service-kit';
import type { Request } from 'express';
import { AuthenticatedCaller, Authorize } from '../api-keys/authorize.decorator.js';
import { ForwardedResponses } from '../http/api-responses.js';
import type { Reply } from '../http/reply.js';
import { CUSTOMER_CREDIT_SCHEMA } from '../http/upstream-schemas.js';
import { Idempotent } from '../idempotency/idempotent.decorator.js';
import { forwardedRequest } from '../upstream/forwarded-request.js';
import { UpstreamClient } from '../upstream/upstream-client.js';
import { SetCreditLimitDto } from './dto/order-commands.dto.js';
import { PlatformCustomerParams } from './dto/order-queries.dto.js';

/**
 * A platform's customers' credit, which the automatic review checks unpaid orders against. Each
 * platform chooses its customer ids, so a customer is known by platform and id.
 */
@ApiTags('customers')
@Controller('v1/platforms/:platformId/customers')
export class CustomersController {
  constructor(private readonly upstream: UpstreamClient) {}

  @Put(':customerId')
  @Authorize({ roles: ['reviewer'] })
  @Idempotent()
  @ForwardedResponses()
  @ApiOperation({
    summary: "Set a platform's customer's credit limit",
    description: 'Replaces the limit as a whole: `{creditLimit, currency}`, or `{creditLimit: null}` for no limit (no credit check).',
  })
  @ApiOkResponse({ description: "The customer's credit.", schema: CUSTOMER_CREDIT_SCHEMA })
  @ApiNotFoundResponse({ description: 'No such platform (PLATFORM_NOT_FOUND).', type: ProblemDto })
  @ApiUnprocessableEntityResponse({ description: 'IDEMPOTENCY_KEY_REUSED.', type: ProblemDto })
  setCredit(
    @Param() _params: PlatformCustomerParams,
    @Body() _credit: SetCreditLimitDto,
    @AuthenticatedCaller() caller: Caller,
    @Req() req: Request,
  ): Promise<Reply> {
    return this.upstream.forward('orders', forwardedRequest(req, caller, { body: true }));
  }

  @Get(':customerId')
  @Authorize({ roles: ['reviewer'] })
  @ForwardedResponses()
  @ApiOperation({ summary: "A platform's customer's credit: limit, open exposure and open unpaid orders" })
  @ApiOkResponse({ description: "The customer's credit.", schema: CUSTOMER_CREDIT_SCHEMA })
  @ApiNotFoundResponse({ description: 'No such platform (PLATFORM_NOT_FOUND), or no limit and no open unpaid order (CUSTOMER_NOT_FOUND).', type: ProblemDto })
  credit(@Param() _params: PlatformCustomerParams, @AuthenticatedCaller() caller: Caller, @Req() req: Request): Promise<Reply> {
    return this.upstream.forward('orders', forwardedRequest(req, caller));
  }
}
