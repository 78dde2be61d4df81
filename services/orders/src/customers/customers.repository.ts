import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CustomerEntity } from './customer.entity.js';

@Injectable()
export class CustomersRepository {
  async setCreditLimit(manager: EntityManager, id: string, creditLimit: string | null): Promise<CustomerEntity> {
    await manager.upsert(CustomerEntity, { id, creditLimit, updatedAt: new Date() }, ['id']);
    return manager.findOneByOrFail(CustomerEntity, { id });
  }

  /**
   * The customer's row, created if missing, locked for the transaction: credit checks of one
   * customer run one at a time, so two orders cannot both fit under the same limit.
   */
  async lock(manager: EntityManager, id: string): Promise<CustomerEntity> {
    await manager.query(`INSERT INTO customer (id) VALUES ($1) ON CONFLICT (id) DO NOTHING`, [id]);
    return manager.createQueryBuilder(CustomerEntity, 'c').setLock('pessimistic_write').where('c.id = :id', { id }).getOneOrFail();
  }
}
