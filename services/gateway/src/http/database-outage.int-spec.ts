import { randomUUID } from 'node:crypto';
import { postgresDataSourceOptions, withDatabase } from '@skald/persistence';
import { waitFor } from '@skald/testing';
import { DataSource } from 'typeorm';
import { ApiKeyCache } from '../api-keys/api-key-cache.js';
import { aPlatform, bearer, type TestPlatform } from '../../test/factories.js';
import { startGateway, type GatewayUnderTest } from '../../test/gateway-under-test.js';

describe('the gateway while its own database is down (real PostgreSQL and RabbitMQ)', () => {
  let gw: GatewayUnderTest;
  let platform: TestPlatform;
  let admin: DataSource;
  let databaseName: string;

  beforeAll(async () => {
    gw = await startGateway();
    platform = await aPlatform(gw.sut.dataSource);
    // The server's maintenance database: a database cannot refuse connections to itself.
    admin = new DataSource(postgresDataSourceOptions({ url: withDatabase(gw.sut.databaseUrl, 'postgres'), applicationName: 'outage-spec', poolSize: 1 }));
    await admin.initialize();
    databaseName = new URL(gw.sut.databaseUrl).pathname.slice(1);
  });

  afterAll(async () => {
    await admin?.query(`ALTER DATABASE "${databaseName}" ALLOW_CONNECTIONS true`).catch(() => undefined);
    await admin?.destroy();
    await gw?.close();
  });

  it('answers 503 SERVICE_UNAVAILABLE problem+json at once, forwards nothing, and serves again once the database is back', async () => {
    gw.orders.respondWith(() => ({ status: 200, body: { id: 'an-order' } }));
    const getOrder = () => gw.sut.http().get(`/v1/orders/${randomUUID()}`).set(bearer(platform.key));
    expect((await getOrder()).status).toBe(200);

    await admin.query(`ALTER DATABASE "${databaseName}" ALLOW_CONNECTIONS false`);
    await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1`, [databaseName]);
    try {
      // The key is cached; the cache stops vouching for keys once it has lost its LISTEN connection
      // (a revocation could go unheard), a moment after the backends are terminated (ADR 7).
      await waitFor('the key cache to notice the outage', () => !gw.sut.app.get(ApiKeyCache).active);
      const forwardedBefore = gw.orders.received.length;
      const started = Date.now();
      const res = await getOrder();
      const tookMs = Date.now() - started;

      expect(res.status).toBe(503);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.headers['retry-after']).toBe('5');
      expect(res.body).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE' });
      // The key could not be checked (not in the database, no longer by the cache), so nothing went
      // upstream; and no wait for a statement timeout.
      expect(gw.orders.received.length).toBe(forwardedBefore);
      expect(tookMs).toBeLessThan(2_000);
      const ready = await gw.sut.http().get('/health/ready');
      expect(ready.status).toBe(503);
    } finally {
      await admin.query(`ALTER DATABASE "${databaseName}" ALLOW_CONNECTIONS true`);
    }

    await waitFor('the gateway serving again', async () => (await getOrder()).status === 200);
  });

  it('keeps the outcome of a forwarded request through a database blip after the forward: its retry is replayed, not refused as in progress', async () => {
    const orderId = randomUUID();
    // The upstream commits, then the gateway's database drops every connection and refuses new
    // ones for a moment, just as the gateway goes to store the answer.
    gw.orders.respondWith(async () => {
      await admin.query(`ALTER DATABASE "${databaseName}" ALLOW_CONNECTIONS false`);
      await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1`, [databaseName]);
      setTimeout(() => void admin.query(`ALTER DATABASE "${databaseName}" ALLOW_CONNECTIONS true`), 400);
      return { status: 202, body: { id: orderId, status: 'received' } };
    });
    const cancel = () => gw.sut.http().post(`/v1/orders/${orderId}/cancel`).set(bearer(platform.key)).set('idempotency-key', `blip-${orderId}`).send({ reason: 'changed my mind' });

    const first = await cancel();
    expect(first.status).toBe(202);
    gw.orders.respondWith(() => ({ status: 500, body: { detail: 'must not be asked again' } }));
    const again = await cancel();
    expect({ status: again.status, replayed: again.headers['idempotent-replayed'], body: again.body }).toEqual({ status: 202, replayed: 'true', body: first.body });
    expect(gw.orders.requestsTo(`/v1/orders/${orderId}/cancel`)).toHaveLength(1);
  });
});
