import type { AddressInfo } from 'node:net';
import type { DynamicModule, INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { RethrowRpcExceptionsFilter, SkaldTransport } from '@skald/messaging';
import { ensureDatabase, postgresDataSourceOptions, redactUrl, runMigrations } from '@skald/persistence';
import { Logger } from 'nestjs-pino';
import pino from 'pino';
import { DataSource, type MixedList } from 'typeorm';
import type { BaseServiceConfig } from '../config/base-service-config.js';
import { ConfigError, loadConfig } from '../config/load-config.js';
import { setupApiDocs, type ApiDocOptions } from '../docs/swagger.js';
import { INTERNAL_TOKEN_HEADER, InternalTokens, internalTokenMiddleware } from '../http/internal-token.js';
import { loggerOptions } from '../logging/logging.js';
import { ShutdownState } from '../health/shutdown-state.js';
import { traceContextMiddleware } from '../tracing/trace-context.middleware.js';
import { installTracePropagation, shutdownTracing } from '../tracing/tracing.js';

/** Exit code for a configuration error (sysexits EX_CONFIG). */
export const EXIT_CONFIG = 78;

export interface ServiceSpec<C extends BaseServiceConfig> {
  service: string;
  description: string;
  defaultPort: number;
  config: new () => C;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function>;
  module: (config: C) => DynamicModule;
  /** Security schemes its routes name in the OpenAPI document, besides the internal one. */
  securitySchemes?: ApiDocOptions['securitySchemes'];
  /**
   * The public edge (the gateway): its clients authenticate with API keys, so its HTTP API does
   * not ask for the internal token. Every other service answers only callers that show it.
   */
  publicEdge?: boolean;
}

/** Reads and validates the configuration; on error prints every bad variable and exits 78. */
export function loadConfigOrExit<C extends BaseServiceConfig>(spec: ServiceSpec<C>): C {
  try {
    return loadConfig(spec.service, spec.config, process.env, { PORT: String(spec.defaultPort) });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(EXIT_CONFIG);
  }
}

/** Creates the database if missing and applies pending migrations (under an advisory lock). */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export async function prepareDatabase(service: string, url: string, migrations: MixedList<Function>): Promise<string[]> {
  await ensureDatabase(url);
  const dataSource = new DataSource(
    // No statement timeout: a migration may rewrite a large table, and waits for another replica's lock.
    // No prepared statements: a migration's statements run once, and its DDL would change their results.
    postgresDataSourceOptions({ url, applicationName: `${service}-migrations`, migrations, poolSize: 2, statementTimeoutMs: 0, preparedStatements: false }),
  );
  await dataSource.initialize();
  try {
    return (await runMigrations(dataSource)).map((migration) => migration.name);
  } finally {
    await dataSource.destroy();
  }
}

/**
 * The Nest application of a service, not yet listening: the internal trust boundary (unless it is
 * the public edge), JSON logger, the Skald message transport (handlers' errors reach the consumer
 * untouched) and the API docs.
 */
export async function createServiceApp<C extends BaseServiceConfig>(spec: ServiceSpec<C>, config: C): Promise<INestApplication> {
  installTracePropagation();
  // The JSON body parser alone (below): Nest's default adds a urlencoded one, a layer every
  // request passes through for bodies InputScreeningMiddleware refuses anyway (415).
  const app = await NestFactory.create<NestExpressApplication>(spec.module(config), { bufferLogs: true, abortOnError: false, bodyParser: false });
  const logger = app.get(Logger);
  app.useLogger(logger);
  app.flushLogs();
  // Before everything else: a refused call's warning, too, carries the caller's trace.
  app.use(traceContextMiddleware());
  if (!spec.publicEdge) {
    // First in the HTTP stack, so Swagger, the body parser and every route (with or without
    // @Access) sit behind it.
    app.use(
      internalTokenMiddleware(new InternalTokens(config.INTERNAL_API_TOKEN), (call) =>
        logger.warn({ refused: call }, `internal call refused: ${call.method} ${call.path} without a valid ${INTERNAL_TOKEN_HEADER}`, 'InternalToken'),
      ),
    );
  }
  const microservice = app.connectMicroservice(
    { strategy: app.get(SkaldTransport) },
    // Deferred, so the filter below is in place before the handlers are bound.
    { inheritAppConfig: false, deferInitialization: true },
  );
  microservice.useGlobalFilters(new RethrowRpcExceptionsFilter());
  setupApiDocs(app, { service: spec.service, description: spec.description, securitySchemes: spec.securitySchemes });
  // Where Nest would put its parsers (at init, behind the middleware above); its default limit.
  app.useBodyParser('json');
  return app;
}

/**
 * Boots a Skald service: validated configuration (fail fast), database created and migrated,
 * Nest application with JSON logs, Swagger at /docs, the Skald message transport, HTTP on PORT,
 * and a graceful SIGTERM: readiness off, stop consuming, finish in-flight work, exit 0.
 */
export async function runService<C extends BaseServiceConfig>(spec: ServiceSpec<C>): Promise<INestApplication> {
  const config = loadConfigOrExit(spec);
  const bootLog = pino(loggerOptions(spec.service, config.LOG_LEVEL));
  try {
    if (config.DATABASE_MIGRATE_ON_START) {
      const applied = await prepareDatabase(spec.service, config.DATABASE_URL, spec.migrations);
      bootLog.info({ applied, database: redactUrl(config.DATABASE_URL) }, `database ready, ${applied.length} migration(s) applied`);
    }
    const app = await createServiceApp(spec, config);
    await app.startAllMicroservices();
    await app.listen(config.PORT, '0.0.0.0');
    installGracefulShutdown(app, config.SHUTDOWN_TIMEOUT_MS);
    const { port } = app.getHttpServer().address() as AddressInfo;
    app.get(Logger).log(`${spec.service} listening on port ${port}`, 'Bootstrap');
    return app;
  } catch (error) {
    bootLog.fatal({ err: error }, `${spec.service} failed to start: ${(error as Error).message}`);
    process.exit(1);
  }
}

function installGracefulShutdown(app: INestApplication, timeoutMs: number): void {
  const logger = app.get(Logger);
  let closing = false;
  const shutdown = async (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    logger.log(`${signal} received: draining in-flight work`, 'Shutdown');
    app.get(ShutdownState).begin();
    // The platform's own stop waits up to timeoutMs for handlers; this is the last resort.
    setTimeout(() => {
      logger.error(`shutdown did not finish within ${timeoutMs + 5_000} ms, exiting`, 'Shutdown');
      process.exit(1);
    }, timeoutMs + 5_000).unref();
    try {
      await app.close();
      logger.log('stopped cleanly', 'Shutdown');
      const flushed = await shutdownTracing().catch(() => false);
      if (!flushed) logger.warn('spans not flushed to the trace collector', 'Shutdown');
      process.exit(0);
    } catch (error) {
      logger.error(`shutdown failed: ${(error as Error).message}`, 'Shutdown');
      process.exit(1);
    }
  };
  process.once('SIGTERM', (signal) => void shutdown(signal));
  process.once('SIGINT', (signal) => void shutdown(signal));
}
