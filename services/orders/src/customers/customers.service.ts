import { Injectable } from '@nestjs/common';
import { SkaldError, fromUnits, normalizeAmount, toUnits } from '@skald/contracts';
import { DataSource, type EntityManager } from 'typeorm';
import type { OrderEntity } from '../orders/order.entity.js';
import { OrdersRepository } from '../orders/orders.repository.js';
import { TenantPolicyRepository } from '../tenants/tenant-policy.repository.js';
import type { CustomerCreditView } from './customer.dto.js';
import type { CustomerEntity } from './customer.entity.js';
import { CustomersRepository, type CustomerKey } from './customers.repository.js';

/** Customers' credit, per platform: the limit staff set and the open unpaid orders it covers. */
@Injectable()
export class CustomersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly customers: CustomersRepository,
    private readonly orders: OrdersRepository,
    private readonly platforms: TenantPolicyRepository,
  ) {}

  /**
   * Replaces the customer's credit limit: `creditLimit` in `currency`, or no limit (null), in the
   * route's transaction.
   * @throws SkaldError(PLATFORM_NOT_FOUND) the orders service knows no such platform
   */
  async setCreditLimit(manager: EntityManager, key: CustomerKey, limit: { creditLimit: number; currency: string } | null): Promise<CustomerCreditView> {
    await this.platformMustExist(manager, key.tenantId);
    const credit = limit === null ? null : { creditLimit: fromUnits(toUnits(limit.creditLimit)), currency: limit.currency };
    const customer = await this.customers.setCreditLimit(manager, key, credit);
    return creditView(key, customer, await this.orders.openUnpaidOrders(manager, key));
  }

  /**
   * The customer's credit: limit, exposure, open unpaid orders.
   * @throws SkaldError(PLATFORM_NOT_FOUND) the orders service knows no such platform
   * @throws SkaldError(CUSTOMER_NOT_FOUND) neither a limit nor open unpaid orders
   */
  async credit(key: CustomerKey): Promise<CustomerCreditView> {
    // One snapshot: the exposure shown is that of the orders listed.
    return this.dataSource.transaction('REPEATABLE READ', async (manager) => {
      await this.platformMustExist(manager, key.tenantId);
      const customer = await this.customers.find(manager, key);
      const open = await this.orders.openUnpaidOrders(manager, key);
      if ((customer?.creditLimit ?? null) === null && open.length === 0) {
        throw new SkaldError('CUSTOMER_NOT_FOUND', `platform ${key.tenantId} has no credit limit and no open unpaid order for customer ${key.customerId}`, {
          retryable: false,
        });
      }
      return creditView(key, customer, open);
    });
  }

  private async platformMustExist(manager: EntityManager, tenantId: string): Promise<void> {
    // The platform's registration (gateway.platform.registered.v1) is what the orders service
    // knows of platforms; a platform created a moment ago may not have arrived yet.
    if (!(await this.platforms.find(manager, tenantId))) {
      throw new SkaldError('PLATFORM_NOT_FOUND', `no platform ${tenantId}`, { retryable: false });
    }
  }
}

function creditView(key: CustomerKey, customer: CustomerEntity | null, open: OrderEntity[]): CustomerCreditView {
  const creditLimit = customer?.creditLimit ?? null;
  const currency = creditLimit === null ? null : (customer?.currency ?? null);
  const exposure = open.filter((order) => order.currency === currency).reduce((sum, order) => sum + toUnits(order.totalAmount), 0n);
  return {
    platformId: key.tenantId,
    customerId: key.customerId,
    creditLimit: creditLimit === null ? null : normalizeAmount(creditLimit),
    currency,
    openExposure: currency === null ? null : fromUnits(exposure),
    openOrders: open.map((order) => ({
      id: order.id,
      amount: normalizeAmount(order.totalAmount),
      currency: order.currency,
      status: order.status,
      placedAt: order.createdAt.toISOString(),
    })),
    updatedAt: customer?.updatedAt?.toISOString() ?? null,
  };
}
