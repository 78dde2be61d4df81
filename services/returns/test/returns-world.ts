import { ExpectReturnV1, OrderPlacedV1, OutboundNoteShippedV1, ReturnStatusChangedV1, ShipmentDeliveredV1, type MessageDefinition } from '@skald/contracts';
import { anIdempotencyKey, asPlatform, BrokerProbe, startServiceUnderTest, waitFor, type ServiceUnderTest } from '@skald/testing';
import { randomUUID } from 'node:crypto';
import type { ReturnsConfig } from '../src/config/returns-config.js';
import { service } from '../src/service.js';

export interface OrderedLine {
  sku: string;
  quantity: number;
  unitPrice: string;
}

/** The returns service under test, with a broker probe playing orders, the warehouse and inventory. */
export class ReturnsWorld {
  sut!: ServiceUnderTest<ReturnsConfig>;
  probe!: BrokerProbe;

  async start(watch: MessageDefinition[] = [], env: Record<string, string> = {}): Promise<this> {
    this.sut = await startServiceUnderTest(service, env);
    this.probe = await new BrokerProbe(this.sut.rabbitmqUrl).start([ReturnStatusChangedV1, ExpectReturnV1, ...watch]);
    return this;
  }

  async stop(): Promise<void> {
    await this.probe?.stop();
    await this.sut?.close();
  }

  /** An order of `tenantId` placed (paid) on `channel`, shipped (all of it, one note from WH-1) and delivered `deliveredDaysAgo` days ago, known to returns. */
  async deliveredOrder(tenantId: string, lines: OrderedLine[], deliveredDaysAgo = 2, channel = 'web'): Promise<string> {
    const orderId = randomUUID();
    const customer = { id: `C-${orderId.slice(0, 8)}`, name: 'Ada Buyer', email: 'ada@example.com' };
    const total = lines.reduce((sum, l) => sum + Number(l.unitPrice) * l.quantity, 0).toFixed(2);
    const meta = { tenantId, correlationId: orderId };
    this.probe.publish(
      OrderPlacedV1,
      { orderId, externalId: `EXT-${orderId}`, channel, customer, lines, currency: 'EUR', totalAmount: total, paymentStatus: 'paid', shippingAddress: { line1: 'Main St 1', city: 'Berlin', postalCode: '10115', country: 'DE' } },
      meta,
    );
    const at = new Date(Date.now() - deliveredDaysAgo * 86_400_000).toISOString();
    const noteId = randomUUID();
    this.probe.publish(
      OutboundNoteShippedV1,
      { noteId, orderId, warehouse: 'WH-1', shipmentId: randomUUID(), carrier: 'DHL', trackingNumber: 'T1', lines: lines.map(({ sku, quantity }) => ({ sku, quantity })), shippedAt: at },
      meta,
    );
    this.probe.publish(ShipmentDeliveredV1, { shipmentId: randomUUID(), noteId, orderId, deliveredAt: at }, meta);
    await waitFor('the order delivered in the replica', async () => {
      const rows = await this.sut.dataSource.query(
        `SELECT 1 FROM returnable_order o JOIN returnable_shipment s USING (order_id) WHERE o.order_id = $1 AND s.delivered_at IS NOT NULL AND s.shipped_at IS NOT NULL`,
        [orderId],
      );
      return rows.length === 1 ? true : undefined;
    });
    return orderId;
  }

  /** POST /v1/returns as the platform, with a fresh Idempotency-Key unless given. */
  ask(tenantId: string, body: object, key = anIdempotencyKey(`platform:${tenantId}:${randomUUID()}`)) {
    return this.sut.http().post('/v1/returns').set(asPlatform(tenantId)).set(key).send(body);
  }

  /** Waits until the return has `status`. */
  status(tenantId: string, id: string, status: string): Promise<Record<string, any>> {
    return waitFor(`return ${id} ${status}`, async () => {
      const res = await this.sut.http().get(`/v1/returns/${id}`).set(asPlatform(tenantId));
      return res.body.status === status ? (res.body as Record<string, any>) : undefined;
    });
  }
}
