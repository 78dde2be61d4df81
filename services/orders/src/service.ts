import { BaseServiceConfig, type ServiceSpec } from '@skald/service-kit';
import { AppModule } from './app.module.js';
import { migrations } from './database/migrations.js';

export const service: ServiceSpec<BaseServiceConfig> = {
  service: 'orders',
  description: 'Order intake, review, credit and the order saga.',
  defaultPort: 3001,
  config: BaseServiceConfig,
  migrations,
  module: (config) => AppModule.register(config),
};
