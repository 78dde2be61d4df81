export * from './definition/saga-definition.js';
export * from './definition/deadlines.js';
export * from './definition/compensation.js';
export * from './persistence/saga.entity.js';
export * from './persistence/saga-migrations.js';
export * from './persistence/saga-store.js';
export * from './scheduler/deadline-loop.js';
