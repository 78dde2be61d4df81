import { messagingMigrations } from '@skald/messaging';
import { SagaTimeline1764100000000 } from '@skald/saga';
import { idempotentRequestMigrations } from '@skald/service-kit';
import type { MigrationInterface } from 'typeorm';
import { OrdersSchema1763900000100 } from './migrations/1763900000100-orders-schema.js';
import { ShortageAndCancellation1763900000200 } from './migrations/1763900000200-shortage-and-cancellation.js';
import { CustomerCreditPerPlatform1763900000300 } from './migrations/1763900000300-customer-credit-per-platform.js';
import { TenantMaxBackorderDays1763900000400 } from './migrations/1763900000400-tenant-max-backorder-days.js';
import { OrderSagaOnSagaTables1763900000500 } from './migrations/1763900000500-order-saga-on-saga-tables.js';
import { ReplacementOrders1763900000600 } from './migrations/1763900000600-replacement-orders.js';
import { OrdersByCustomer1763900000700 } from './migrations/1763900000700-orders-by-customer.js';
import { OrderListIndexes1765200000000 } from './migrations/1765200000000-order-list-indexes.js';

/** Every migration of the orders database, in order: the platform's first, then the service's own. */
export const migrations: Array<new () => MigrationInterface> = [
  ...messagingMigrations,
  ...idempotentRequestMigrations,
  OrdersSchema1763900000100,
  ShortageAndCancellation1763900000200,
  CustomerCreditPerPlatform1763900000300,
  TenantMaxBackorderDays1763900000400,
  OrderSagaOnSagaTables1763900000500,
  ReplacementOrders1763900000600,
  SagaTimeline1764100000000,
  OrdersByCustomer1763900000700,
  OrderListIndexes1765200000000,
];
