import { postgresDataSourceOptions, runMigrationCli } from '@skald/persistence';
import { DataSource } from 'typeorm';
import { IsUrlWithProtocol, type BaseServiceConfig } from '../config/base-service-config.js';
import { ConfigError, loadConfig } from '../config/load-config.js';
import { EXIT_CONFIG, type ServiceSpec } from './run-service.js';

/** The migration command only needs the database. */
class MigrationConfig {
  @IsUrlWithProtocol('postgres:', 'postgresql:')
  DATABASE_URL: string;
}

/**
 * `node dist/migrate.js [run|revert|show]` for a service (also the Kubernetes migration Job).
 * @returns the exit code.
 */
export async function runMigrationCommand<C extends BaseServiceConfig>(spec: ServiceSpec<C>, argv: string[]): Promise<number> {
  let config: MigrationConfig;
  try {
    config = loadConfig(spec.service, MigrationConfig, process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return EXIT_CONFIG;
  }
  const dataSource = new DataSource(
    postgresDataSourceOptions({
      url: config.DATABASE_URL,
      applicationName: `${spec.service}-migrate`,
      migrations: spec.migrations,
      // One connection holds the migration lock, the other runs the migrations.
      poolSize: 2,
      // A migration may rewrite a large table, and waits for the lock another replica holds.
      statementTimeoutMs: 0,
      // A migration's statements run once, and its DDL would change their results: nothing to prepare.
      preparedStatements: false,
    }),
  );
  return runMigrationCli({ service: spec.service, url: config.DATABASE_URL, dataSource, argv });
}
