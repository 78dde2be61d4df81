import { Module } from '@nestjs/common';
import { RateLimitService } from './rate-limit.service.js';
import { TrustProxySetting } from './trust-proxy.js';

/** Rate limits per API key and per source address, shared by all replicas through the database (ADR 13). */
@Module({
  providers: [RateLimitService, TrustProxySetting],
  exports: [RateLimitService],
})
export class RateLimitsModule {}
