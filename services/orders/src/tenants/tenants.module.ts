import { Module } from '@nestjs/common';
import { TenantPolicyHandler } from './tenant-policy.handler.js';
import { TenantPolicyRepository } from './tenant-policy.repository.js';

@Module({
  controllers: [TenantPolicyHandler],
  providers: [TenantPolicyRepository],
  exports: [TenantPolicyRepository],
})
export class TenantsModule {}
