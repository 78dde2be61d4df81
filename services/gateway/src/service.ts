import type { ServiceSpec } from '@skald/service-kit';
import { BEARER_SCHEME } from './api-keys/authorize.decorator.js';
import { AppModule } from './app.module.js';
import { GatewayConfig } from './config/gateway-config.js';
import { migrations } from './database/migrations.js';

export const service: ServiceSpec<GatewayConfig> = {
  service: 'gateway',
  description:
    'The public API of Skald for e-commerce platforms and staff. Authenticate with an API key: `Authorization: Bearer sk_…`. ' +
    'Errors are application/problem+json with a stable `code`. POST and PUT accept an `Idempotency-Key`. ' +
    'Each API key is rate limited: every answer carries `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset`; ' +
    'over the limit the answer is 429 `RATE_LIMITED` with `Retry-After`.',
  defaultPort: 3000,
  config: GatewayConfig,
  migrations,
  module: (config) => AppModule.register(config),
  // The public API: clients authenticate with API keys; the internal token is what it sends on.
  publicEdge: true,
  securitySchemes: {
    [BEARER_SCHEME]: {
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'sk_<id>_<secret>',
      description: 'A platform key (created with `skald platform create`) or a staff key (`skald staff-key create --roles …`).',
    },
  },
};
