import { Module } from '@nestjs/common';
import { ReturnPolicyController } from './return-policy.controller.js';
import { ReturnPolicyEntity } from './return-policy.entity.js';
import { ReturnPolicyRepository } from './return-policy.repository.js';

export const returnPolicyEntities = [ReturnPolicyEntity];

@Module({ controllers: [ReturnPolicyController], providers: [ReturnPolicyRepository], exports: [ReturnPolicyRepository] })
export class ReturnPolicyModule {}
