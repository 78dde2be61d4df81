import { randomBytes, randomUUID } from 'node:crypto';
import { gatewayUpstreams, startService } from '../../../scripts/lib/suite.mjs';
import { GATEWAY_LIMITS_OFF, serviceEnv } from '../../support/environment.mjs';
import { createStaffKey, type GatewayClient } from '../../support/gateway-client.js';
import { ResponseProxy } from '../../support/response-proxy.js';
import { suite } from '../../support/suite-state.mjs';

/**
 * The headline failure of issue 9: the inventory service books a receipt, its answer is lost on
 * the way back (connection reset, or later than the gateway waits), and the client retries with
 * its Idempotency-Key. A second gateway replica (same database) reaches the real inventory service
 * through a proxy that loses the answer.
 */
describe('a receipt whose answer was lost, retried with its Idempotency-Key (gateway and the real inventory service)', () => {
  let proxy: ResponseProxy;
  let gateway: ReturnType<typeof startService>;
  let staff: GatewayClient;

  beforeAll(async () => {
    const { urls, databases, rabbitmqUrl, internalToken } = suite() as ReturnType<typeof suite> & { internalToken?: string };
    proxy = new ResponseProxy(Number(new URL(urls.inventory).port));
    await proxy.start();
    gateway = startService(
      'gateway',
      await serviceEnv('gateway', {
        DATABASE_URL: databases.gateway,
        RABBITMQ_URL: rabbitmqUrl,
        ...gatewayUpstreams((name) => urls[name]),
        INVENTORY_URL: proxy.url(),
        UPSTREAM_TIMEOUT_MS: '1500',
        // As the suite's gateway: the services' token when the suite sets one, a sealing key (no
        // webhook is subscribed here) and a rate limit out of the way.
        ...(internalToken ? { INTERNAL_API_TOKEN: internalToken } : {}),
        WEBHOOK_SECRET_KEY: randomBytes(32).toString('base64'),
        ...GATEWAY_LIMITS_OFF,
      }),
    );
    await gateway.ready;
    staff = await createStaffKey(['inventory']);
  });

  afterAll(async () => {
    gateway?.child.kill('SIGTERM');
    await gateway?.exited;
    await proxy?.stop();
  });

  /** POST /v1/stock/receipts through the gateway behind the proxy. */
  async function receive(idempotencyKey: string, receipt: object) {
    const res = await fetch(`${gateway.url}/v1/stock/receipts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${staff.key}`, 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
      body: JSON.stringify(receipt),
    });
    return { status: res.status, headers: res.headers, body: await res.json() };
  }

  async function aStockedSku(): Promise<string> {
    const sku = `TEA-${randomUUID().slice(0, 8)}`;
    await staff.expect(200, staff.put(`/v1/catalog/${sku}`, { name: 'Tea', listPrice: 10, currency: 'EUR', sellable: true, returnable: true }));
    return sku;
  }

  async function bookings(sku: string) {
    const stock = await staff.expect(200, staff.get(`/v1/stock/${sku}`));
    const ledger = await staff.expect(200, staff.get(`/v1/stock/${sku}/ledger`));
    return { onHand: stock.totals.onHand, receipts: ledger.items.filter((entry: { kind: string }) => entry.kind === 'receipt').length };
  }

  it('books the goods once when the answer was dropped after the service committed', async () => {
    const sku = await aStockedSku();
    const receipt = { warehouse: `WH-${randomUUID().slice(0, 6)}`, lines: [{ sku, quantity: 5 }], reference: 'PO-RESET' };
    const key = randomUUID();

    proxy.dropNextAnswer();
    const lost = await receive(key, receipt);
    const afterLoss = await bookings(sku);
    const retried = await receive(key, receipt);
    const repeated = await receive(key, receipt);

    expect(lost.status).toBe(503);
    expect(lost.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(lost.body).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
    expect(lost.headers.get('retry-after')).toBe('1');
    expect(afterLoss).toEqual({ onHand: 5, receipts: 1 });
    expect(retried.status).toBe(201);
    expect(retried.body).toMatchObject({ id: expect.any(String), lines: [{ sku, quantity: 5 }] });
    expect(repeated.status).toBe(201);
    expect(repeated.headers.get('idempotent-replayed')).toBe('true');
    expect(repeated.body).toEqual(retried.body);
    expect(await bookings(sku)).toEqual({ onHand: 5, receipts: 1 });
  });

  it('books the goods once when the answer came later than the gateway waits', async () => {
    const sku = await aStockedSku();
    const receipt = { warehouse: `WH-${randomUUID().slice(0, 6)}`, lines: [{ sku, quantity: 3 }] };
    const key = randomUUID();

    proxy.holdNextAnswer();
    const late = await receive(key, receipt);
    const retried = await receive(key, receipt);

    expect(late.status).toBe(504);
    expect(late.body).toMatchObject({ code: 'UPSTREAM_TIMEOUT' });
    expect(late.headers.get('retry-after')).toBe('1');
    expect(retried.status).toBe(201);
    expect(retried.body).toMatchObject({ lines: [{ sku, quantity: 3 }] });
    expect(await bookings(sku)).toEqual({ onHand: 3, receipts: 1 });
  });
});
