import { BaseServiceConfig, type ServiceSpec } from '@skald/service-kit';
import { AppModule } from './app.module.js';
import { migrations } from './database/migrations.js';

export const service: ServiceSpec<BaseServiceConfig> = {
  service: 'gateway',
  description: 'Public API for e-commerce platforms and staff: API keys, idempotency, webhook subscriptions; forwards to the owning services.',
  defaultPort: 3000,
  config: BaseServiceConfig,
  migrations,
  module: (config) => AppModule.register(config),
};
