import type { ServiceSpec } from '@skald/service-kit';
import { AppModule } from './app.module.js';
import { NotificationsConfig } from './config/notifications-config.js';
import { migrations } from './database/migrations.js';

export const service: ServiceSpec<NotificationsConfig> = {
  service: 'notifications',
  description: 'E-mail, SMS and signed webhooks for every status change.',
  defaultPort: 3005,
  config: NotificationsConfig,
  migrations,
  module: (config) => AppModule.register(config),
};
