import { messagingMigrations } from '@skald/messaging';

/** Every migration of the gateway database, in order: the platform's first, then the service's own. */
export const migrations = [...messagingMigrations];
