import type { DataSourceOptions, MixedList, EntitySchema } from 'typeorm';

export interface PostgresOptions {
  url: string;
  /** Shown in pg_stat_activity: which service (and role) holds a connection. */
  applicationName: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities?: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations?: MixedList<Function | string>;
  poolSize?: number;
}

/**
 * TypeORM options for a service database. Schema changes go through migrations only:
 * `synchronize` is off and stays off.
 */
export function postgresDataSourceOptions(options: PostgresOptions): DataSourceOptions {
  return {
    type: 'postgres',
    url: options.url,
    applicationName: options.applicationName,
    entities: options.entities ?? [],
    migrations: options.migrations ?? [],
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    poolSize: options.poolSize ?? 10,
    // Failed queries surface as exceptions (and in the service's JSON logs); TypeORM's own error
    // logging would print expected ones, like a unique violation turned into a 409, to the console.
    logging: ['warn', 'migration'],
  };
}
