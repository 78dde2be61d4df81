import { Outbox } from '@skald/messaging';
import { postgresDataSourceOptions } from '@skald/persistence';
import { IsUrlWithProtocol, loadConfig, prepareDatabase } from '@skald/service-kit';
import { DataSource } from 'typeorm';
import { ApiKeyRepository } from '../api-keys/api-key.repository.js';
import { ApiKeyService } from '../api-keys/api-key.service.js';
import { entities } from '../database/entities.js';
import { migrations } from '../database/migrations.js';
import { PlatformRepository } from '../platforms/platform.repository.js';
import { PlatformService } from '../platforms/platform.service.js';

/** The CLI needs the database only: no broker (the running gateway's relay sends what it writes to the outbox). */
export class CliConfig {
  @IsUrlWithProtocol('postgres:', 'postgresql:')
  DATABASE_URL: string;
}

/** The services the CLI uses, wired by hand on a small connection pool. */
export interface GatewayDatabase {
  dataSource: DataSource;
  keys: ApiKeyService;
  platforms: PlatformService;
  close(): Promise<void>;
}

/** @throws ConfigError when DATABASE_URL is missing or not a PostgreSQL URL. */
export function loadCliConfig(env: Record<string, string | undefined>): CliConfig {
  return loadConfig('gateway', CliConfig, env);
}

/** Creates and migrates the database if needed, and opens it. */
export async function openGatewayDatabase(config: CliConfig): Promise<GatewayDatabase> {
  await prepareDatabase('gateway', config.DATABASE_URL, migrations);
  const dataSource = new DataSource(
    postgresDataSourceOptions({ url: config.DATABASE_URL, applicationName: 'gateway-cli', entities, poolSize: 2 }),
  );
  await dataSource.initialize();
  const keys = new ApiKeyService(new ApiKeyRepository());
  return {
    dataSource,
    keys,
    platforms: new PlatformService(new PlatformRepository(), keys, new Outbox()),
    close: () => dataSource.destroy(),
  };
}
