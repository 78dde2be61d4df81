import { messagingMigrations } from '@skald/messaging';
import type { MigrationInterface } from 'typeorm';
import { NotificationTables1763900000100 } from './migrations/1763900000100-notification-tables.js';
import { DeliveryDueIndexes1763900000200 } from './migrations/1763900000200-delivery-due-indexes.js';
import { WebhookSecretsSealed1763900000360 } from './migrations/1763900000360-webhook-secrets-sealed.js';
import { DeliveryCorrelationId1763900000400 } from './migrations/1763900000400-delivery-correlation-id.js';
import { WebhookSubscriptionChangeNotifications1765300000000 } from './migrations/1765300000000-webhook-subscription-change-notifications.js';

/** Every migration of the notifications database, in order: the platform's first, then the service's own. */
export const migrations: Array<new () => MigrationInterface> = [
  ...messagingMigrations,
  NotificationTables1763900000100,
  DeliveryDueIndexes1763900000200,
  WebhookSecretsSealed1763900000360,
  DeliveryCorrelationId1763900000400,
  WebhookSubscriptionChangeNotifications1765300000000,
];
