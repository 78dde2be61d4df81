import { Body, Controller, Get, Inject, Param, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, ApiProblems, IdempotencyOf, IdempotentRequests, type IdempotentCall } from '@skald/service-kit';
import { CustomerCreditView, CustomerParams, SetCreditLimitDto } from './customer.dto.js';
import { CustomersService } from './customers.service.js';

const NOT_FOUND = 'PLATFORM_NOT_FOUND (the orders service knows no such platform) or CUSTOMER_NOT_FOUND (no limit and no open unpaid order)';

/** A platform's customers' credit: staff set the limit the automatic review checks orders against. */
@ApiTags('customers')
@Controller('v1/platforms/:platformId/customers')
export class CustomersController {
  constructor(
    private readonly idempotent: IdempotentRequests,
    @Inject(CustomersService) private readonly customers: CustomersService,
  ) {}

  @Put(':customerId')
  @Access({ roles: ['reviewer'] })
  @ApiOperation({ summary: "Set (replace) a platform's customer's credit limit" })
  @ApiOkResponse({ type: CustomerCreditView })
  @ApiProblems([400, 401, 403, 404], { 404: 'PLATFORM_NOT_FOUND' })
  setCreditLimit(@Param() params: CustomerParams, @Body() body: SetCreditLimitDto, @IdempotencyOf() call: IdempotentCall): Promise<CustomerCreditView> {
    // The DTO requires a currency with a limit.
    const limit = body.creditLimit === null ? null : { creditLimit: body.creditLimit, currency: body.currency as string };
    return this.idempotent.transaction(call, (manager) => this.customers.setCreditLimit(manager, { tenantId: params.platformId, customerId: params.customerId }, limit));
  }

  @Get(':customerId')
  @Access({ roles: ['reviewer'] })
  @ApiOperation({ summary: "A platform's customer's credit: limit, open exposure, open unpaid orders" })
  @ApiOkResponse({ type: CustomerCreditView })
  @ApiProblems([400, 401, 403, 404], { 404: NOT_FOUND })
  credit(@Param() params: CustomerParams): Promise<CustomerCreditView> {
    return this.customers.credit({ tenantId: params.platformId, customerId: params.customerId });
  }
}
