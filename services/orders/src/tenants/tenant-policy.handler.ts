import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { PlatformRegisteredV1, type PlatformRegistered } from '@skald/contracts';
import { OnMessage, type MessageContext } from '@skald/messaging';
import { DEFAULT_MAX_BACKORDER_DAYS } from '../review/shortage-policy.js';
import { TenantPolicyRepository } from './tenant-policy.repository.js';

/** Keeps each platform's review settings, as the gateway registers them. */
@Controller()
export class TenantPolicyHandler {
  constructor(private readonly policies: TenantPolicyRepository) {}

  @OnMessage(PlatformRegisteredV1)
  async onPlatformRegistered(@Payload() platform: PlatformRegistered, @Ctx() context: MessageContext): Promise<void> {
    await this.policies.upsert(context.manager, {
      tenantId: platform.tenantId,
      name: platform.name,
      priceTolerancePct: String(platform.priceTolerancePct),
      reviewAmountThreshold: platform.reviewAmountThreshold,
      shortageMode: platform.shortagePolicy?.mode ?? 'reject',
      backorderDays: platform.shortagePolicy?.backorderDays ?? 14,
      partialRemainder: platform.shortagePolicy?.partialRemainder ?? 'backorder',
      maxBackorderDays: platform.shortagePolicy?.maxBackorderDays ?? Math.max(DEFAULT_MAX_BACKORDER_DAYS, platform.shortagePolicy?.backorderDays ?? 14),
    });
  }
}
