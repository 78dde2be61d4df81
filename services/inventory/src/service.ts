import type { ServiceSpec } from '@skald/service-kit';
import { AppModule } from './app.module.js';
import { InventoryConfig } from './config/inventory-config.js';
import { migrations } from './database/migrations.js';

export const service: ServiceSpec<InventoryConfig> = {
  service: 'inventory',
  description: 'Catalog, stock per warehouse, reservations and the stock movement ledger.',
  defaultPort: 3002,
  config: InventoryConfig,
  migrations,
  module: (config) => AppModule.register(config),
};
