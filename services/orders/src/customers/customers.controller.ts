import { Body, Controller, Inject, Param, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access } from '@skald/service-kit';
import { CustomerCreditDto, SetCreditLimitDto } from './customer.dto.js';
import { CustomersService } from './customers.service.js';

@ApiTags('customers')
@Controller('v1/customers')
export class CustomersController {
  constructor(@Inject(CustomersService) private readonly customers: CustomersService) {}

  @Put(':id')
  @Access({ roles: ['ops'] })
  @ApiOperation({ summary: "Set a customer's credit limit" })
  @ApiOkResponse({ type: CustomerCreditDto })
  setCreditLimit(@Param('id') id: string, @Body() body: SetCreditLimitDto): Promise<CustomerCreditDto> {
    return this.customers.setCreditLimit(id, body.creditLimit);
  }
}
