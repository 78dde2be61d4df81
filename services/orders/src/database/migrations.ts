import { messagingMigrations } from '@skald/messaging';
import { idempotentRequestMigrations } from '@skald/service-kit';
import type { MigrationInterface } from 'typeorm';
import { OrdersSchema1763900000100 } from './migrations/1763900000100-orders-schema.js';
import { ShortageAndCancellation1763900000200 } from './migrations/1763900000200-shortage-and-cancellation.js';

/** Every migration of the orders database, in order: the platform's first, then the service's own. */
export const migrations: Array<new () => MigrationInterface> = [...messagingMigrations, ...idempotentRequestMigrations, OrdersSchema1763900000100, ShortageAndCancellation1763900000200];
