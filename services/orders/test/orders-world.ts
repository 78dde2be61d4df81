import { CatalogItemUpdatedV1, OrderStatusChangedV1, PlatformRegisteredV1, type CatalogItemUpdated, type MessageDefinition, type PlatformRegistered } from '@skald/contracts';
import type { BaseServiceConfig } from '@skald/service-kit';
import { asPlatform, BrokerProbe, startServiceUnderTest, waitFor, type ServiceUnderTest } from '@skald/testing';
import { service } from '../src/service.js';

/**
 * The orders service under test, with a broker probe playing the gateway, inventory and warehouse.
 */
export class OrdersWorld {
  sut!: ServiceUnderTest<BaseServiceConfig>;
  probe!: BrokerProbe;

  async start(watch: MessageDefinition[], env: Record<string, string> = {}): Promise<this> {
    this.sut = await startServiceUnderTest(service, env);
    this.probe = await new BrokerProbe(this.sut.rabbitmqUrl).start([OrderStatusChangedV1, ...watch]);
    return this;
  }

  async stop(): Promise<void> {
    await this.probe?.stop();
    await this.sut?.close();
  }

  /** Registers a platform and waits until orders knows its review settings. */
  async platform(platform: PlatformRegistered): Promise<PlatformRegistered> {
    this.probe.publish(PlatformRegisteredV1, platform);
    await waitFor('tenant policy replica', async () => (await this.sut.dataSource.query(`SELECT 1 FROM tenant_policy WHERE tenant_id = $1`, [platform.tenantId])).length === 1);
    return platform;
  }

  /** Publishes catalog items and waits until the replica has them. */
  async catalog(...items: CatalogItemUpdated[]): Promise<void> {
    for (const item of items) this.probe.publish(CatalogItemUpdatedV1, item);
    await waitFor('catalog replica', async () => {
      const rows = await this.sut.dataSource.query(`SELECT sku FROM catalog_item WHERE sku = ANY($1)`, [items.map((i) => i.sku)]);
      return rows.length === items.length;
    });
  }

  async place(tenantId: string, body: object): Promise<string> {
    const res = await this.sut.http().post('/v1/orders').set(asPlatform(tenantId)).send(body);
    if (res.status !== 202) throw new Error(`place order: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.id as string;
  }

  async order(tenantId: string, id: string): Promise<Record<string, any>> {
    const res = await this.sut.http().get(`/v1/orders/${id}`).set(asPlatform(tenantId));
    if (res.status !== 200) throw new Error(`get order: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  /** Waits until the order has `status`. */
  async status(tenantId: string, id: string, status: string): Promise<Record<string, any>> {
    return waitFor(`order ${id} ${status}`, async () => {
      const order = await this.order(tenantId, id);
      return order.status === status ? order : undefined;
    });
  }
}
