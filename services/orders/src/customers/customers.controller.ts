import { Body, Controller, Inject, Param, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, IdempotencyOf, IdempotentRequests, type IdempotentCall } from '@skald/service-kit';
import { CustomerCreditDto, SetCreditLimitDto } from './customer.dto.js';
import { CustomersService } from './customers.service.js';

@ApiTags('customers')
@Controller('v1/customers')
export class CustomersController {
  constructor(
    private readonly idempotent: IdempotentRequests,
    @Inject(CustomersService) private readonly customers: CustomersService,
  ) {}

  @Put(':id')
  @Access({ roles: ['ops'] })
  @ApiOperation({ summary: "Set a customer's credit limit" })
  @ApiOkResponse({ type: CustomerCreditDto })
  setCreditLimit(@Param('id') id: string, @Body() body: SetCreditLimitDto, @IdempotencyOf() call: IdempotentCall): Promise<CustomerCreditDto> {
    return this.idempotent.transaction(call, (manager) => this.customers.setCreditLimit(manager, id, body.creditLimit));
  }
}
