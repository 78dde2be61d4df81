import 'reflect-metadata';

export * from './config/load-config.js';
export * from './config/base-service-config.js';
export * from './config/service-config.token.js';
export * from './logging/logging.js';
export * from './health/shutdown-state.js';
export * from './health/health.controller.js';
export * from './metrics/metrics.controller.js';
export * from './http/problem-details.filter.js';
export * from './http/validation.pipe.js';
export * from './http/execution-context.middleware.js';
export * from './docs/swagger.js';
export * from './tracing/tracing.js';
export * from './bootstrap/skald-service.module.js';
export * from './bootstrap/run-service.js';
export * from './bootstrap/migrate-command.js';
export * from './http/caller.js';
export * from './http/api-problems.js';
