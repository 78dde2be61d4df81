import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { TenantPolicyEntity } from './tenant-policy.entity.js';

@Injectable()
export class TenantPolicyRepository {
  async upsert(manager: EntityManager, policy: Omit<TenantPolicyEntity, 'updatedAt'>): Promise<void> {
    await manager.upsert(TenantPolicyEntity, { ...policy, updatedAt: new Date() }, ['tenantId']);
  }

  find(manager: EntityManager, tenantId: string): Promise<TenantPolicyEntity | null> {
    return manager.findOneBy(TenantPolicyEntity, { tenantId });
  }
}
