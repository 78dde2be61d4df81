import { BaseServiceConfig, type ServiceSpec } from '@skald/service-kit';
import { AppModule } from './app.module.js';
import { migrations } from './database/migrations.js';

export const service: ServiceSpec<BaseServiceConfig> = {
  service: 'inventory',
  description: 'Catalog, stock per warehouse, reservations and the stock movement ledger.',
  defaultPort: 3002,
  config: BaseServiceConfig,
  migrations,
  module: (config) => AppModule.register(config),
};
