import { BaseServiceConfig, type ServiceSpec } from '@skald/service-kit';
import { AppModule } from './app.module.js';
import { migrations } from './database/migrations.js';

export const service: ServiceSpec<BaseServiceConfig> = {
  service: 'returns',
  description: 'Return requests (RMA), inspections, refunds and exchanges; the return saga.',
  defaultPort: 3004,
  config: BaseServiceConfig,
  migrations,
  module: (config) => AppModule.register(config),
};
