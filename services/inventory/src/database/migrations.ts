import { messagingMigrations } from '@skald/messaging';
import { idempotentRequestMigrations } from '@skald/service-kit';
import { InventorySchema1763900000001 } from './migrations/1763900000001-inventory-schema.js';
import { InventoryShortageReleaseExpiry1763900000002 } from './migrations/1763900000002-shortage-release-expiry.js';
import { InventoryReturnedStock1763900000003 } from './migrations/1763900000003-returned-stock.js';

/** Every migration of the inventory database, in order: the platform's first, then the service's own. */
export const migrations = [
  ...messagingMigrations,
  ...idempotentRequestMigrations,
  InventorySchema1763900000001,
  InventoryShortageReleaseExpiry1763900000002,
  InventoryReturnedStock1763900000003,
];
