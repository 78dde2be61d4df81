import { BadRequestException, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { OrdersRepository } from '../orders/orders.repository.js';
import { fromUnits, toUnits } from '../shared/money.js';
import type { CustomerCreditDto } from './customer.dto.js';
import { CustomersRepository } from './customers.repository.js';

@Injectable()
export class CustomersService {
  constructor(
    private readonly customers: CustomersRepository,
    private readonly orders: OrdersRepository,
  ) {}

  async setCreditLimit(manager: EntityManager, id: string, creditLimit: number | null): Promise<CustomerCreditDto> {
    if (!/^[\w.:@-]{1,100}$/.test(id)) {
      throw new BadRequestException({ code: 'VALIDATION_FAILED', detail: 'Invalid customer id.', errors: [{ field: 'id', message: 'id must be 1-100 word characters' }] });
    }
    const limit = creditLimit === null ? null : fromUnits(toUnits(creditLimit));
    const customer = await this.customers.setCreditLimit(manager, id, limit);
    const exposure = await this.orders.openUnpaidByCurrency(manager, id);
    return {
      id: customer.id,
      creditLimit: customer.creditLimit === null ? null : fromUnits(toUnits(customer.creditLimit)),
      exposure: Object.fromEntries(Object.entries(exposure).map(([currency, amount]) => [currency, fromUnits(toUnits(amount))])),
    };
  }
}
