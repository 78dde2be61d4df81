import { messagingMigrations } from '@skald/messaging';
import { GatewayTables1763900000100 } from './migrations/1763900000100-gateway-tables.js';
import { PlatformShortagePolicy1763900000200 } from './migrations/1763900000200-platform-shortage-policy.js';
import { PlatformMaxBackorderDays1763900000300 } from './migrations/1763900000300-platform-max-backorder-days.js';
import { RateLimits1765030000000 } from './migrations/1765030000000-rate-limits.js';
import { IdempotencyOutcomeUnknown1765041200000 } from './migrations/1765041200000-idempotency-outcome-unknown.js';
import { ApiKeyChangeNotifications1765100000000 } from './migrations/1765100000000-api-key-change-notifications.js';

/** Every migration of the gateway database, in order: the platform's first, then the service's own. */
export const migrations = [
  ...messagingMigrations,
  GatewayTables1763900000100,
  PlatformShortagePolicy1763900000200,
  PlatformMaxBackorderDays1763900000300,
  RateLimits1765030000000,
  IdempotencyOutcomeUnknown1765041200000,
  ApiKeyChangeNotifications1765100000000,
];
