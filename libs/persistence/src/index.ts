export * from './database/database-url.js';
export * from './database/ensure-database.js';
export * from './database/data-source-options.js';
export * from './database/database-errors.js';
export * from './migrations/run-migrations.js';
export * from './migrations/migration-cli.js';
export * from './testing/scratch-database.js';
export * from './notifications/notification-listener.js';
