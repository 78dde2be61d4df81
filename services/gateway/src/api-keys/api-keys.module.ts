import { Module } from '@nestjs/common';
import { RateLimitsModule } from '../rate-limits/rate-limits.module.js';
import { ApiKeyCache } from './api-key-cache.js';
import { ApiKeyGuard } from './api-key.guard.js';
import { ApiKeyRepository } from './api-key.repository.js';
import { ApiKeyService } from './api-key.service.js';

/** API keys: issuing, authenticating (the guard of every public route), revoking. */
@Module({
  imports: [RateLimitsModule],
  providers: [ApiKeyRepository, ApiKeyCache, ApiKeyService, ApiKeyGuard],
  exports: [ApiKeyService, ApiKeyCache, ApiKeyGuard, RateLimitsModule],
})
export class ApiKeysModule {}
