import { randomUUID } from 'node:crypto';
import { postgresDataSourceOptions, withDatabase } from '@skald/persistence';
import { waitFor } from '@skald/testing';
import { DataSource } from 'typeorm';
import { aPlatform, bearer } from '../../test/factories.js';
import { startGateway, type GatewayUnderTest } from '../../test/gateway-under-test.js';
import { runCli } from '../cli/run-cli.js';
import { ApiKeyCache } from './api-key-cache.js';
import { ApiKeyService } from './api-key.service.js';

/** Runs the CLI in-process against the gateways' database. */
async function cli(databaseUrl: string, ...argv: string[]): Promise<number> {
  return runCli(argv, { env: { DATABASE_URL: databaseUrl }, out: () => undefined, err: () => undefined });
}

const getOrder = (gw: GatewayUnderTest, key: string) => gw.sut.http().get(`/v1/orders/${randomUUID()}`).set(bearer(key));
const statusOf = async (gw: GatewayUnderTest, key: string) => (await getOrder(gw, key)).status;
const cacheOf = (gw: GatewayUnderTest) => gw.sut.app.get(ApiKeyCache);

/** Waits, from now, at most a second for the replica to refuse the key. */
const refusedWithinASecond = (gw: GatewayUnderTest, key: string, which: string) =>
  waitFor(`the ${which} replica refusing the key (401)`, async () => (await statusOf(gw, key)) === 401, 1_000);

describe('API keys cached by every gateway replica, changes pushed by LISTEN/NOTIFY (two gateways on one database; real PostgreSQL)', () => {
  let first: GatewayUnderTest;
  let second: GatewayUnderTest;
  /** Another client of the gateways' database: an operator's psql. */
  let operator: DataSource;
  /** The server's maintenance database (a database cannot refuse connections to itself). */
  let maintenance: DataSource;
  let databaseName: string;

  beforeAll(async () => {
    // Refusals in these tests must stay 401, not turn into a block of the test's address.
    const env = { AUTH_FAILURE_LIMIT: '1000' };
    first = await startGateway(env);
    second = await startGateway({ ...env, DATABASE_URL: first.sut.databaseUrl });
    for (const gw of [first, second]) gw.orders.respondWith((request) => ({ status: 200, body: { id: request.url.split('/')[3] } }));
    operator = new DataSource(postgresDataSourceOptions({ url: first.sut.databaseUrl, applicationName: 'operator-psql', poolSize: 3 }));
    maintenance = new DataSource(postgresDataSourceOptions({ url: withDatabase(first.sut.databaseUrl, 'postgres'), applicationName: 'api-key-cache-spec', poolSize: 1 }));
    await Promise.all([operator.initialize(), maintenance.initialize()]);
    databaseName = new URL(first.sut.databaseUrl).pathname.slice(1);
  });

  afterAll(async () => {
    await maintenance?.query(`ALTER DATABASE "${databaseName}" ALLOW_CONNECTIONS true`).catch(() => undefined);
    await maintenance?.destroy();
    await operator?.destroy();
    await second?.close();
    await first?.close();
  });

  /** A platform key both replicas have used once, so both have it cached. */
  async function aKeyCachedByBoth(): Promise<{ key: string; keyId: string; tenantId: string }> {
    const platform = await aPlatform(first.sut.dataSource);
    expect(await statusOf(first, platform.key)).toBe(200);
    expect(await statusOf(second, platform.key)).toBe(200);
    expect([cacheOf(first).has(platform.keyId), cacheOf(second).has(platform.keyId)]).toEqual([true, true]);
    return platform;
  }

  it('a key revoked through one replica is refused by the other (and by itself) within a second', async () => {
    const { key, keyId } = await aKeyCachedByBoth();

    expect(await first.sut.app.get(ApiKeyService).revoke(first.sut.dataSource.manager, keyId)).toBe(true);

    await Promise.all([refusedWithinASecond(second, key, 'other'), refusedWithinASecond(first, key, 'revoking')]);
  });

  it('a key revoked with `key revoke` (the CLI, another process) is refused by both replicas within a second', async () => {
    const { key, keyId } = await aKeyCachedByBoth();

    expect(await cli(first.sut.databaseUrl, 'key', 'revoke', keyId)).toBe(0);

    await Promise.all([refusedWithinASecond(first, key, 'first'), refusedWithinASecond(second, key, 'second')]);
  });

  it('a key revoked by plain SQL from another connection is refused by both replicas within a second', async () => {
    const { key, keyId } = await aKeyCachedByBoth();

    await operator.query(`UPDATE api_key SET revoked_at = now() WHERE id = $1`, [keyId]);

    await Promise.all([refusedWithinASecond(first, key, 'first'), refusedWithinASecond(second, key, 'second')]);
  });

  it('writing last_used_at (at most once a minute) does not evict the key', async () => {
    const { keyId } = await aKeyCachedByBoth();
    await waitFor('last_used_at written', async () => (await operator.query(`SELECT last_used_at FROM api_key WHERE id = $1`, [keyId]))[0].last_used_at);
    // Another change of the same key, notified after the touch: once it is seen, the touch's would have been too.
    const other = await aKeyCachedByBoth();
    await operator.query(`UPDATE api_key SET revoked_at = now() WHERE id = $1`, [other.keyId]);
    await waitFor('the other key evicted', () => !cacheOf(first).has(other.keyId) && !cacheOf(second).has(other.keyId));

    expect([cacheOf(first).has(keyId), cacheOf(second).has(keyId)]).toEqual([true, true]);
  });

  it("a platform's rate limit changed with `platform set-rate-limit`, or by SQL, applies within a second on both replicas", async () => {
    const { key, tenantId } = await aKeyCachedByBoth();
    const limitOn = async (gw: GatewayUnderTest) => (await getOrder(gw, key)).headers['ratelimit-limit'];
    expect([await limitOn(first), await limitOn(second)]).toEqual(['100', '100']);

    expect(await cli(first.sut.databaseUrl, 'platform', 'set-rate-limit', tenantId, '500')).toBe(0);
    await Promise.all(
      [first, second].map((gw) => waitFor('the new limit (RateLimit-Limit: 500)', async () => (await limitOn(gw)) === '500', 1_000)),
    );

    await operator.query(`UPDATE platform SET rate_limit_per_second = NULL WHERE id = $1`, [tenantId]);
    await Promise.all(
      [first, second].map((gw) => waitFor('the default limit again (RateLimit-Limit: 100)', async () => (await limitOn(gw)) === '100', 1_000)),
    );
  });

  it('sends no statement to read api_key for a cached key: with api_key locked against every reader, its requests pass, while an uncached key waits', async () => {
    const cached = await aPlatform(first.sut.dataSource);
    const uncached = await aPlatform(first.sut.dataSource);
    expect(await statusOf(first, cached.key)).toBe(200);
    // Its first use also wrote last_used_at (in the background): that write must not be left waiting on the lock.
    await waitFor('last_used_at written', async () => (await operator.query(`SELECT last_used_at FROM api_key WHERE id = $1`, [cached.keyId]))[0].last_used_at);

    const lock = operator.createQueryRunner();
    await lock.connect();
    try {
      await lock.startTransaction();
      await lock.query(`LOCK TABLE api_key IN ACCESS EXCLUSIVE MODE`);
      // The control: a request that reads api_key waits for the lock.
      const waiting = getOrder(first, uncached.key).then((res) => res.status);
      await waitFor('the uncached key\'s read waiting on the lock', async () => {
        const [{ n }] = await operator.query(`SELECT count(*)::int AS n FROM pg_locks WHERE relation = 'api_key'::regclass AND NOT granted`);
        return n > 0;
      });

      const statuses = await Promise.all(Array.from({ length: 20 }, () => statusOf(first, cached.key)));
      expect(statuses).toEqual(Array(20).fill(200));

      await lock.commitTransaction();
      expect(await waiting).toBe(200);
    } finally {
      if (lock.isTransactionActive) await lock.rollbackTransaction();
      await lock.release();
    }
  });

  it('while its LISTEN connection is down keeps nothing, so a key revoked meanwhile is refused; once it listens again it caches again', async () => {
    const { key, keyId } = await aKeyCachedByBoth();
    const other = await aPlatform(first.sut.dataSource);

    // The listeners' connections end and cannot come back until the database accepts connections again
    // (the gateways' pooled connections stay).
    await maintenance.query(`ALTER DATABASE "${databaseName}" ALLOW_CONNECTIONS false`);
    try {
      await operator.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND application_name = 'gateway-api-key-listener'`, [
        databaseName,
      ]);
      await waitFor('both replicas noticing the lost LISTEN connection', () => !cacheOf(first).active && !cacheOf(second).active);
      expect([cacheOf(first).has(keyId), cacheOf(second).has(keyId)]).toEqual([false, false]);

      // Nobody hears this NOTIFY.
      await operator.query(`UPDATE api_key SET revoked_at = now() WHERE id = $1`, [keyId]);

      expect([await statusOf(first, key), await statusOf(second, key)]).toEqual([401, 401]);
      expect([await statusOf(first, other.key), await statusOf(first, other.key)]).toEqual([200, 200]);
      expect(cacheOf(first).has(other.keyId)).toBe(false);
      // Still down: the refusals above came from the database, not from a notification.
      expect([cacheOf(first).active, cacheOf(second).active]).toEqual([false, false]);
    } finally {
      await maintenance.query(`ALTER DATABASE "${databaseName}" ALLOW_CONNECTIONS true`);
    }

    await waitFor('both replicas listening again', () => cacheOf(first).active && cacheOf(second).active);
    expect(await statusOf(first, other.key)).toBe(200);
    expect(cacheOf(first).has(other.keyId)).toBe(true);
    await operator.query(`UPDATE api_key SET revoked_at = now() WHERE id = $1`, [other.keyId]);
    await refusedWithinASecond(first, other.key, 'first');
    expect(await statusOf(first, key)).toBe(401);
  });
});
