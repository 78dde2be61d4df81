import { Body, Controller, Param, Put, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import type { Caller } from '@skald/service-kit';
import type { Request } from 'express';
import { AuthenticatedCaller, Authorize } from '../api-keys/authorize.decorator.js';
import { ForwardedResponses } from '../http/api-responses.js';
import { ProblemDto } from '@skald/service-kit';
import type { Reply } from '../http/reply.js';
import { CUSTOMER_CREDIT_SCHEMA } from '../http/upstream-schemas.js';
import { Idempotent } from '../idempotency/idempotent.decorator.js';
import { forwardedRequest } from '../upstream/forwarded-request.js';
import { UpstreamClient } from '../upstream/upstream-client.js';
import { CustomerCreditDto } from './dto/order-commands.dto.js';
import { CustomerIdParams } from './dto/order-queries.dto.js';

/** Customers' credit, which the automatic review checks orders against. */
@ApiTags('customers')
@Controller('v1/customers')
export class CustomersController {
  constructor(private readonly upstream: UpstreamClient) {}

  @Put(':id')
  @Authorize({ roles: ['ops'] })
  @Idempotent()
  @ForwardedResponses()
  @ApiOperation({ summary: "Set a customer's credit limit" })
  @ApiOkResponse({
    description: "The customer's credit.",
    schema: CUSTOMER_CREDIT_SCHEMA,
  })
  @ApiUnprocessableEntityResponse({ description: 'Refused by the orders service (its own code), or IDEMPOTENCY_KEY_REUSED.', type: ProblemDto })
  setCredit(
    @Param() _params: CustomerIdParams,
    @Body() _credit: CustomerCreditDto,
    @AuthenticatedCaller() caller: Caller,
    @Req() req: Request,
  ): Promise<Reply> {
    return this.upstream.forward('orders', forwardedRequest(req, caller, { body: true }));
  }
}
