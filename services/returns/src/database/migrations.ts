import { messagingMigrations } from '@skald/messaging';
import { sagaMigrations } from '@skald/saga';
import { idempotentRequestMigrations } from '@skald/service-kit';
import type { MigrationInterface } from 'typeorm';
import { ReturnsSchema1764000000100 } from './migrations/1764000000100-returns-schema.js';

/** Every migration of the returns database, in order: the platform's first, then the service's own. */
export const migrations: Array<new () => MigrationInterface> = [...messagingMigrations, ...idempotentRequestMigrations, ...sagaMigrations, ReturnsSchema1764000000100];
