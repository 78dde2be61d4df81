import { randomBytes } from 'node:crypto';
import { startServiceUnderTest, type ServiceUnderTest } from '@skald/testing';
import type { GatewayConfig } from '../src/config/gateway-config.js';
import { service } from '../src/service.js';
import { FakeUpstream } from './fake-upstream.js';

export interface GatewayUnderTest {
  sut: ServiceUnderTest<GatewayConfig>;
  orders: FakeUpstream;
  inventory: FakeUpstream;
  warehouse: FakeUpstream;
  returns: FakeUpstream;
  notifications: FakeUpstream;
  close(): Promise<void>;
}

/**
 * The gateway in-process on a scratch database and vhost, its five upstreams played by fake
 * local HTTP servers. `env` overrides the configuration (e.g. an upstream URL that is down).
 */
export async function startGateway(env: Record<string, string> = {}): Promise<GatewayUnderTest> {
  const [orders, inventory, warehouse, returns, notifications] = await Promise.all([1, 2, 3, 4, 5].map(() => FakeUpstream.start()));
  try {
    const sut = await startServiceUnderTest(service, {
      ORDERS_URL: orders.url,
      INVENTORY_URL: inventory.url,
      WAREHOUSE_URL: warehouse.url,
      RETURNS_URL: returns.url,
      NOTIFICATIONS_URL: notifications.url,
      UPSTREAM_TIMEOUT_MS: '5000',
      // A key of this run's own (the secret sealed for notifications); WEBHOOK_ALLOW_PRIVATE_NETWORKS
      // stays off: the gateway's specs deliver nothing, and some test that rule.
      WEBHOOK_SECRET_KEY: randomBytes(32).toString('base64'),
      ...env,
    });
    return {
      sut,
      orders,
      inventory,
      warehouse,
      returns,
      notifications,
      close: async () => {
        await sut.close();
        await Promise.all([orders, inventory, warehouse, returns, notifications].map((upstream) => upstream.stop()));
      },
    };
  } catch (error) {
    await Promise.all([orders, inventory, warehouse, returns, notifications].map((upstream) => upstream.stop()));
    throw error;
  }
}
