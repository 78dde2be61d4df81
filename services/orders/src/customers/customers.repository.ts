import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CustomerEntity } from './customer.entity.js';

/** A customer is (platform, customer id): see CustomerEntity. */
export interface CustomerKey {
  tenantId: string;
  customerId: string;
}

@Injectable()
export class CustomersRepository {
  /** Replaces the customer's credit limit (null removes it), creating the customer if missing. */
  async setCreditLimit(manager: EntityManager, key: CustomerKey, limit: { creditLimit: string; currency: string } | null): Promise<CustomerEntity> {
    await manager.upsert(
      CustomerEntity,
      { ...key, creditLimit: limit?.creditLimit ?? null, currency: limit?.currency ?? null, updatedAt: new Date() },
      ['tenantId', 'customerId'],
    );
    return manager.findOneByOrFail(CustomerEntity, { ...key });
  }

  find(manager: EntityManager, key: CustomerKey): Promise<CustomerEntity | null> {
    return manager.findOneBy(CustomerEntity, { ...key });
  }

  /**
   * The customer's row, created if missing, locked for the transaction: credit checks of one
   * customer run one at a time, so two orders cannot both fit under the same limit.
   */
  async lock(manager: EntityManager, key: CustomerKey): Promise<CustomerEntity> {
    await manager.query(`INSERT INTO customer (tenant_id, customer_id) VALUES ($1, $2) ON CONFLICT (tenant_id, customer_id) DO NOTHING`, [
      key.tenantId,
      key.customerId,
    ]);
    return manager
      .createQueryBuilder(CustomerEntity, 'c')
      .setLock('pessimistic_write')
      .where('c.tenant_id = :tenantId AND c.customer_id = :customerId', { ...key })
      .getOneOrFail();
  }
}
