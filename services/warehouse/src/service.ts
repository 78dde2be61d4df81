import { BaseServiceConfig, type ServiceSpec } from '@skald/service-kit';
import { AppModule } from './app.module.js';
import { migrations } from './database/migrations.js';

export const service: ServiceSpec<BaseServiceConfig> = {
  service: 'warehouse',
  description: 'Outbound notes, pick, pack and ship; inbound receipts for returns.',
  defaultPort: 3003,
  config: BaseServiceConfig,
  migrations,
  module: (config) => AppModule.register(config),
};
