import { Module, type DynamicModule, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { APP_FILTER, APP_PIPE, DiscoveryModule } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DeadLetterTimelineSource, MessagingModule, MessagingTimelineSource } from '@skald/messaging';
import { postgresDataSourceOptions } from '@skald/persistence';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { DataSource, type EntitySchema, type MixedList } from 'typeorm';
import type { BaseServiceConfig } from '../config/base-service-config.js';
import { SERVICE_CONFIG } from '../config/service-config.token.js';
import { DeadLettersModule } from '../dead-letters/dead-letters.module.js';
import { HealthController } from '../health/health.controller.js';
import { ShutdownState } from '../health/shutdown-state.js';
import { ExecutionContextMiddleware } from '../http/execution-context.middleware.js';
import { InputScreeningMiddleware } from '../http/input-screening.middleware.js';
import { ProblemDetailsFilter, type ErrorStatusMap } from '../http/problem-details.filter.js';
import { createValidationPipe } from '../http/validation.pipe.js';
import { loggerParams } from '../logging/logging.js';
import { HttpMetricsMiddleware } from '../metrics/http-metrics.middleware.js';
import { MetricsController } from '../metrics/metrics.controller.js';
import { ServiceTimelines, TIMELINE_SERVICE_NAME } from '../timeline/service-timeline.js';
import { TimelineController } from '../timeline/timeline.controller.js';
import { timelineSource } from '../timeline/timeline-source.js';
import { HttpRouteMiddleware } from '../tracing/http-route.middleware.js';

export interface SkaldServiceModuleOptions {
  service: string;
  config: BaseServiceConfig;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities?: MixedList<Function | string | EntitySchema>;
  /** Status of each stable error code this service raises (see ProblemDetailsFilter). */
  errorStatuses?: ErrorStatusMap;
  /**
   * The public edge (the gateway) answers callers without the internal token: it gets none of the
   * internal routes every other service has (its dead letters, its part of a saga timeline; it
   * reads its own part through ServiceTimelines).
   */
  publicEdge?: boolean;
  /** Where the JSON log lines go: stdout, unless a test reads them. */
  logDestination?: DestinationStream;
}

/**
 * Everything a Skald service has in common: JSON logs with correlation ids, its own database
 * (TypeORM, migrations only), the messaging platform, /health/live, /health/ready, /metrics,
 * problem+json errors, screening (control characters, nesting depth, content type) and validation
 * of every HTTP input, and the internal routes (not on the public edge): dead letters, and its part
 * of the saga timeline (`GET /internal/timeline/{correlationId}`: its inbox, outbox and dead-letter
 * records, plus every provider registered with `timelineSource`). A service imports it once.
 */
@Module({})
export class SkaldServiceModule implements NestModule {
  static forRoot(options: SkaldServiceModuleOptions): DynamicModule {
    const { config, service } = options;
    return {
      module: SkaldServiceModule,
      global: true,
      imports: [
        LoggerModule.forRoot(loggerParams(service, config.LOG_LEVEL, options.logDestination)),
        TypeOrmModule.forRoot({
          ...postgresDataSourceOptions({
            url: config.DATABASE_URL,
            applicationName: service,
            entities: options.entities,
            poolSize: config.DATABASE_POOL_SIZE,
            preparedStatements: config.DATABASE_PREPARED_STATEMENTS,
            connectTimeoutMs: config.DATABASE_CONNECT_TIMEOUT_MS,
            statementTimeoutMs: config.DATABASE_STATEMENT_TIMEOUT_MS,
          }),
          retryAttempts: 3,
          retryDelay: 1_000,
        }),
        TerminusModule.forRoot({ errorLogStyle: 'json', logger: false }),
        DiscoveryModule,
        MessagingModule.forRoot({
          service,
          rabbitmqUrl: config.RABBITMQ_URL,
          databaseUrl: config.DATABASE_URL,
          retryDelaysMs: config.MESSAGING_RETRY_DELAYS_MS,
          prefetch: config.MESSAGING_PREFETCH,
          deliveryLimit: config.MESSAGING_DELIVERY_LIMIT,
          shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
        }),
        ...(options.publicEdge ? [] : [DeadLettersModule]),
      ],
      controllers: [HealthController, MetricsController, ...(options.publicEdge ? [] : [TimelineController])],
      providers: [
        ShutdownState,
        { provide: TIMELINE_SERVICE_NAME, useValue: service },
        ServiceTimelines,
        timelineSource({
          provide: MessagingTimelineSource,
          inject: [DataSource],
          useFactory: (dataSource: DataSource) => new MessagingTimelineSource(service, dataSource),
        }),
        timelineSource({
          provide: DeadLetterTimelineSource,
          inject: [DataSource],
          useFactory: (dataSource: DataSource) => new DeadLetterTimelineSource(service, dataSource),
        }),
        { provide: SERVICE_CONFIG, useValue: config },
        { provide: APP_FILTER, useValue: new ProblemDetailsFilter(options.errorStatuses) },
        { provide: APP_PIPE, useFactory: createValidationPipe },
      ],
      exports: [ShutdownState, SERVICE_CONFIG, ServiceTimelines, TIMELINE_SERVICE_NAME],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpRouteMiddleware, ExecutionContextMiddleware, HttpMetricsMiddleware, InputScreeningMiddleware).forRoutes('*path');
  }
}
