import 'reflect-metadata';

export * from './envelope/envelope.js';
export * from './registry/message-definition.js';
export * from './validation/validate.js';
export * from './asyncapi/asyncapi.js';
export * from './errors/skald-error.js';
