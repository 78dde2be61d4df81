import { BaseServiceConfig, type ServiceSpec } from '@skald/service-kit';
import { AppModule } from './app.module.js';
import { migrations } from './database/migrations.js';

export const service: ServiceSpec<BaseServiceConfig> = {
  service: 'notifications',
  description: 'E-mail, SMS and signed webhooks for every status change.',
  defaultPort: 3005,
  config: BaseServiceConfig,
  migrations,
  module: (config) => AppModule.register(config),
};
