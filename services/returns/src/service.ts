import type { ServiceSpec } from '@skald/service-kit';
import { AppModule } from './app.module.js';
import { ReturnsConfig } from './config/returns-config.js';
import { migrations } from './database/migrations.js';

export const service: ServiceSpec<ReturnsConfig> = {
  service: 'returns',
  description: 'Return requests (RMA), inspections, refunds and exchanges; the return saga.',
  defaultPort: 3004,
  config: ReturnsConfig,
  migrations,
  module: (config) => AppModule.register(config),
};
