import { messagingMigrations } from '@skald/messaging';

/** Every migration of the notifications database, in order: the platform's first, then the service's own. */
export const migrations = [...messagingMigrations];
