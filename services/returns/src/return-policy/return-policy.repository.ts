import { Injectable } from '@nestjs/common';
import { normalizeAmount } from '@skald/contracts';
import type { EntityManager } from 'typeorm';
import { ReturnPolicyEntity } from './return-policy.entity.js';
import { DEFAULT_RETURN_POLICY, type ReturnPolicy } from './return-rules.js';

@Injectable()
export class ReturnPolicyRepository {
  /** The platform's policy, or the defaults. */
  async of(manager: EntityManager, tenantId: string): Promise<ReturnPolicy & { isDefault: boolean }> {
    const row = await manager.findOneBy(ReturnPolicyEntity, { tenantId });
    if (!row) return { ...DEFAULT_RETURN_POLICY, isDefault: true };
    return {
      windowDays: row.windowDays,
      reviewReasons: row.reviewReasons,
      reviewAbove: row.reviewAbove === null ? null : normalizeAmount(row.reviewAbove),
      scrapRefundPercent: Number(row.scrapRefundPercent),
      isDefault: false,
    };
  }

  async save(manager: EntityManager, tenantId: string, policy: ReturnPolicy): Promise<void> {
    await manager.upsert(
      ReturnPolicyEntity,
      { tenantId, windowDays: policy.windowDays, reviewReasons: policy.reviewReasons, reviewAbove: policy.reviewAbove, scrapRefundPercent: String(policy.scrapRefundPercent), updatedAt: new Date() },
      ['tenantId'],
    );
  }
}
