import { messagingMigrations } from '@skald/messaging';
import { NotificationTables1763900000100 } from './migrations/1763900000100-notification-tables.js';

/** Every migration of the notifications database, in order: the platform's first, then the service's own. */
export const migrations = [...messagingMigrations, NotificationTables1763900000100];
