import type { DataSourceOptions, MixedList, EntitySchema } from 'typeorm';
import { PreparingClient } from './preparing-client.js';
import { ResilientClient } from './resilient-client.js';

export interface PostgresOptions {
  url: string;
  /** Shown in pg_stat_activity: which service (and role) holds a connection. */
  applicationName: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities?: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations?: MixedList<Function | string>;
  poolSize?: number;
  /** How long to wait for a new connection (or a free one from the pool); default 3 s. */
  connectTimeoutMs?: number;
  /**
   * Server-side limit of one statement (`statement_timeout`); default 15 s, 0 for none (migrations).
   * The client gives up on an unanswered query 5 s after it (`query_timeout`): a healthy server
   * always cancels first, so a client-side timeout means the server is gone.
   */
  statementTimeoutMs?: number;
  /** An idle pooled connection is closed after this long; default 30 s. */
  idleTimeoutMs?: number;
  /**
   * Parameterised statements as named prepared statements, parsed and planned once per connection
   * (see PreparingClient); default true. False behind a transaction-pooling PgBouncer older than 1.21.
   */
  preparedStatements?: boolean;
}

export const DEFAULT_DATABASE_CONNECT_TIMEOUT_MS = 3_000;
export const DEFAULT_DATABASE_STATEMENT_TIMEOUT_MS = 15_000;
const QUERY_TIMEOUT_MARGIN_MS = 5_000;

/**
 * TypeORM options for a service database. Schema changes go through migrations only:
 * `synchronize` is off and stays off. Every wait on the database is bounded (connect, statement,
 * unanswered query), so an outage surfaces as an error in seconds instead of a hung request or handler.
 */
export function postgresDataSourceOptions(options: PostgresOptions): DataSourceOptions {
  const statementTimeoutMs = options.statementTimeoutMs ?? DEFAULT_DATABASE_STATEMENT_TIMEOUT_MS;
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
    connectTimeoutMS: options.connectTimeoutMs ?? DEFAULT_DATABASE_CONNECT_TIMEOUT_MS,
    // Passed to pg.Pool / pg.Client as they are.
    extra: {
      // A connection ended by the server outside a query never crashes the process (see ResilientClient);
      // PreparingClient is a ResilientClient that also prepares parameterised statements.
      Client: (options.preparedStatements ?? true) ? PreparingClient : ResilientClient,
      idleTimeoutMillis: options.idleTimeoutMs ?? 30_000,
      // TCP keep-alive: a connection to a vanished server is noticed without waiting for a query.
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
      ...(statementTimeoutMs > 0
        ? { statement_timeout: statementTimeoutMs, query_timeout: statementTimeoutMs + QUERY_TIMEOUT_MARGIN_MS }
        : {}),
    },
    // An idle pooled connection that the server or the network dropped: the pool discards it, and
    // whoever needs the database next reports the outage (consumer, relay, HTTP) in its own log.
    // TypeORM's default prints every such error to the console, outside the JSON logs.
    poolErrorHandler: () => undefined,
    // Failed queries surface as exceptions (and in the service's JSON logs); TypeORM's own error
    // logging would print expected ones, like a unique violation turned into a 409, to the console.
    logging: ['warn', 'migration'],
  };
}
