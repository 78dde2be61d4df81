import type { ServiceSpec } from '@skald/service-kit';
import { AppModule } from './app.module.js';
import { OrdersConfig } from './config/orders-config.js';
import { migrations } from './database/migrations.js';

export const service: ServiceSpec<OrdersConfig> = {
  service: 'orders',
  description: 'Order intake, review, credit and the order saga.',
  defaultPort: 3001,
  config: OrdersConfig,
  migrations,
  module: (config) => AppModule.register(config),
};
