import { Outbox } from '@skald/messaging';
import { localDatabaseUrl, postgresDataSourceOptions } from '@skald/persistence';
import { ConfigError, IsUrlWithProtocol, loadConfig, prepareDatabase } from '@skald/service-kit';
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

/**
 * DATABASE_URL when set; else the gateway database `npm start` runs on (GATEWAY_DATABASE_URL, else
 * skald_gateway on the server of SKALD_POSTGRES_URL, by default the local one), so that the README's
 * commands work as written next to `npm start`.
 * @throws ConfigError naming the variable the URL came from when it is not a PostgreSQL URL.
 */
export function loadCliConfig(env: Record<string, string | undefined>): CliConfig {
  if (env.DATABASE_URL) return loadConfig('gateway', CliConfig, { DATABASE_URL: env.DATABASE_URL });
  const { url, variable } = localDatabaseUrl('gateway', env);
  try {
    return loadConfig('gateway', CliConfig, { DATABASE_URL: url });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    throw new ConfigError('gateway', error.problems.map((problem) => `${problem} — DATABASE_URL is not set, and this came from ${variable}`));
  }
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
