import { randomUUID } from 'node:crypto';
import { waitFor } from '@skald/testing';
import type { Response } from 'supertest';
import { aPlatform, aStaffKey, bearer } from '../../test/factories.js';
import { startGateway, type GatewayUnderTest } from '../../test/gateway-under-test.js';
import { runCli } from '../cli/run-cli.js';

/** Runs the CLI in-process against the gateway's database. */
async function cli(databaseUrl: string, ...argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { env: { DATABASE_URL: databaseUrl }, out: (line) => out.push(line), err: (line) => err.push(line) });
  return { code, out, err };
}

/** `count` GETs of one key at once (a burst), each on an order id of its own. */
async function burst(gw: GatewayUnderTest, key: string, count: number): Promise<Response[]> {
  return Promise.all(Array.from({ length: count }, () => gw.sut.http().get(`/v1/orders/${randomUUID()}`).set(bearer(key))));
}

const statuses = (responses: Response[]) => ({
  ok: responses.filter((r) => r.status === 200).length,
  limited: responses.filter((r) => r.status === 429),
});

function expectRateLimited(res: Response, limit: number): void {
  expect(res.status).toBe(429);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
  expect(res.headers['retry-after']).toMatch(/^[1-9]\d*$/);
  expect(res.headers['ratelimit-limit']).toBe(String(limit));
  expect(res.headers['ratelimit-remaining']).toBe('0');
  expect(res.headers['ratelimit-reset']).toMatch(/^\d+$/);
}

const echoOrder = (gw: GatewayUnderTest) =>
  gw.orders.respondWith((request) => ({ status: 200, body: { id: request.url.split('/')[3], status: 'received' } }));

/** Two gateways on one database (replicas), each answering the orders route as echoOrder does. */
async function twoReplicas(env: Record<string, string>): Promise<[GatewayUnderTest, GatewayUnderTest]> {
  const first = await startGateway(env);
  try {
    const second = await startGateway({ ...env, DATABASE_URL: first.sut.databaseUrl });
    echoOrder(first);
    echoOrder(second);
    return [first, second];
  } catch (error) {
    await first.close();
    throw error;
  }
}

// Small limits, so that a test sends tens of requests: 5 a second, 15 at once (10 above the rate,
// once per 10 s). The tests fire their requests at once and count, rather than wait for windows.
describe('rate limits per API key (gateway with fake upstreams; real PostgreSQL and RabbitMQ)', () => {
  let gw: GatewayUnderTest;

  beforeAll(async () => {
    gw = await startGateway({ RATE_LIMIT_PER_SECOND: '5', RATE_LIMIT_BURST: '15' });
    echoOrder(gw);
  });

  afterAll(async () => {
    await gw?.close();
  });

  it('tells every authenticated answer its limit, what remains and when it resets (RateLimit-* headers)', async () => {
    const { key } = await aPlatform(gw.sut.dataSource);
    const staff = await aStaffKey(gw.sut.dataSource, ['warehouse']);

    const ok = await gw.sut.http().get(`/v1/orders/${randomUUID()}`).set(bearer(key));
    const forbidden = await gw.sut.http().post(`/v1/orders/${randomUUID()}/review`).set(bearer(staff.key)).send({ decision: 'approve', reason: 'ok' });

    expect(ok.status).toBe(200);
    expect(ok.headers['ratelimit-limit']).toBe('5');
    expect(ok.headers['ratelimit-remaining']).toBe('4');
    expect(['0', '1']).toContain(ok.headers['ratelimit-reset']);
    expect(ok.headers['retry-after']).toBeUndefined();
    // A refused request of a good key counts too, and says so.
    expect(forbidden.status).toBe(403);
    expect(forbidden.headers['ratelimit-limit']).toBe('5');
    expect(forbidden.headers['ratelimit-remaining']).toBe('4');
  });

  it('answers 429 RATE_LIMITED with Retry-After past the burst, forwards nothing more, and leaves another key alone', async () => {
    const noisy = await aPlatform(gw.sut.dataSource);
    const quiet = await aPlatform(gw.sut.dataSource);
    const forwardedBefore = gw.orders.received.length;

    const responses = await burst(gw, noisy.key, 30);

    const { ok, limited } = statuses(responses);
    // The burst (15) always goes through; the rest only as far as the per-second rate refills.
    expect(ok).toBeGreaterThanOrEqual(15);
    expect(limited.length).toBeGreaterThan(0);
    expect(ok + limited.length).toBe(30);
    expectRateLimited(limited[0], 5);
    expect(gw.orders.received.length - forwardedBefore).toBe(ok);

    const other = await gw.sut.http().get(`/v1/orders/${randomUUID()}`).set(bearer(quiet.key));
    expect(other.status).toBe(200);
    expect(other.headers['ratelimit-remaining']).toBe('4');
  });

  it("applies a platform's own limit from `platform create --rate-limit` (burst twice the rate) to its keys", async () => {
    const created = await cli(gw.sut.databaseUrl, 'platform', 'create', 'Slow Shop', '--rate-limit', '2');
    expect(created.code).toBe(0);
    expect(created.out.join('\n')).toMatch(/rate limit\s+2 requests\/s, burst 4/);
    const slowKey = created.out.at(-1)!;
    const usual = await aPlatform(gw.sut.dataSource);

    const [slow, normal] = await Promise.all([burst(gw, slowKey, 12), burst(gw, usual.key, 12)]);

    // 12 at once fit in the default burst (15), not in the platform's (4, plus 2 a second).
    expect(statuses(normal).ok).toBe(12);
    expect(statuses(slow).ok).toBeGreaterThanOrEqual(4);
    expect(statuses(slow).limited.length).toBeGreaterThan(0);
    expectRateLimited(statuses(slow).limited[0], 2);
  });

  it('changes the limit of an existing platform with `platform set-rate-limit`, and back to the default', async () => {
    const limitOf = async (apiKey: string) => (await gw.sut.http().get(`/v1/orders/${randomUUID()}`).set(bearer(apiKey))).headers['ratelimit-limit'];
    const { key, tenantId } = await aPlatform(gw.sut.dataSource);
    expect(await limitOf(key)).toBe('5');

    const set = await cli(gw.sut.databaseUrl, 'platform', 'set-rate-limit', tenantId, '50');
    expect(set.code).toBe(0);
    const [row] = await gw.sut.dataSource.query(`SELECT rate_limit_per_second FROM platform WHERE id = $1`, [tenantId]);
    expect(row.rate_limit_per_second).toBe(50);
    // A change reaches the gateway's key cache by NOTIFY, within a second (ADR 7), not with the CLI's exit.
    await waitFor('the new limit (RateLimit-Limit: 50)', async () => (await limitOf(key)) === '50', 1_000);
    // 30 at once: over the default burst (15), well within this platform's (100).
    const responses = await burst(gw, key, 30);
    expect(statuses(responses).ok).toBe(30);
    expect(responses[0].headers['ratelimit-limit']).toBe('50');

    const reset = await cli(gw.sut.databaseUrl, 'platform', 'set-rate-limit', tenantId, 'default');
    expect(reset.code).toBe(0);
    await waitFor('the default limit again (RateLimit-Limit: 5)', async () => (await limitOf(key)) === '5', 1_000);
  });

  it('lets requests through when the counters cannot be written (fail open), without RateLimit headers', async () => {
    const { key } = await aPlatform(gw.sut.dataSource);
    const orderId = randomUUID();
    // Every counter write now fails in the database, as when the store is broken.
    await gw.sut.dataSource.query(`ALTER TABLE rate_limit ADD CONSTRAINT rate_limit_broken CHECK (points < 0) NOT VALID`);
    try {
      const res = await gw.sut.http().get(`/v1/orders/${orderId}`).set(bearer(key));

      expect(res.status).toBe(200);
      expect(res.body).toEqual({ id: orderId, status: 'received' });
      expect(res.headers['ratelimit-limit']).toBeUndefined();
    } finally {
      await gw.sut.dataSource.query(`ALTER TABLE rate_limit DROP CONSTRAINT rate_limit_broken`);
    }
  });
});

describe('rate limits shared by gateway replicas (two gateways on one database)', () => {
  let first: GatewayUnderTest;
  let second: GatewayUnderTest;

  beforeAll(async () => {
    // 1 a second, 20 at once: two replicas that did not share would let 40 through.
    [first, second] = await twoReplicas({ RATE_LIMIT_PER_SECOND: '1', RATE_LIMIT_BURST: '20' });
  });

  afterAll(async () => {
    await second?.close();
    await first?.close();
  });

  it("counts one key's requests to either replica against one bucket", async () => {
    const { key } = await aPlatform(first.sut.dataSource);

    const onFirst = await burst(first, key, 20);
    const onSecond = await burst(second, key, 5);

    expect(statuses(onFirst).ok).toBe(20);
    // The burst is spent on the first replica; the second has only what the rate refilled since.
    expect(statuses(onSecond).limited.length).toBeGreaterThan(0);
    expectRateLimited(statuses(onSecond).limited[0], 1);
  });
});

describe('failed authentications per source address (gateway with fake upstreams; real PostgreSQL and RabbitMQ)', () => {
  let gw: GatewayUnderTest;

  beforeAll(async () => {
    gw = await startGateway({ AUTH_FAILURE_LIMIT: '3', AUTH_FAILURE_BLOCK_SECONDS: '60' });
    echoOrder(gw);
  });

  afterAll(async () => {
    await gw?.close();
  });

  it('blocks an address past the limit of failures for AUTH_FAILURE_BLOCK_SECONDS, even with a good key', async () => {
    const { key } = await aPlatform(gw.sut.dataSource);
    const wrongKey = `Bearer sk_${'0'.repeat(24)}_${'A'.repeat(43)}`;
    const attempt = () => gw.sut.http().get(`/v1/orders/${randomUUID()}`).set('Authorization', wrongKey);

    const failures = [await attempt(), await attempt()];
    // Below the limit a good key from the same address still works.
    const goodMeanwhile = await gw.sut.http().get(`/v1/orders/${randomUUID()}`).set(bearer(key));
    failures.push(await attempt());
    const overLimit = await attempt();
    const orderId = randomUUID();
    const goodAfterwards = await gw.sut.http().get(`/v1/orders/${orderId}`).set(bearer(key));
    const withoutKey = await gw.sut.http().get(`/v1/orders/${randomUUID()}`);
    // Without TRUST_PROXY a client cannot pick another address by saying so.
    const claimingAnotherAddress = await gw.sut.http().get(`/v1/orders/${randomUUID()}`).set(bearer(key)).set('X-Forwarded-For', '203.0.113.99');

    expect(failures.map((r) => r.status)).toEqual([401, 401, 401]);
    expect(goodMeanwhile.status).toBe(200);
    for (const refused of [overLimit, goodAfterwards, withoutKey, claimingAnotherAddress]) {
      expect(refused.status).toBe(429);
      expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(refused.body).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
      // Blocked for the configured 60 s, counted from the failure that crossed the limit.
      expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(50);
      expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);
      expect(refused.headers['ratelimit-limit']).toBe('3');
    }
    expect(gw.orders.requestsTo(`/v1/orders/${orderId}`)).toHaveLength(0);
  });
});

describe('failed authentications counted on one replica, a good key on another (two gateways on one database)', () => {
  let first: GatewayUnderTest;
  let second: GatewayUnderTest;
  const wrongKey = bearer(`sk_${'0'.repeat(24)}_${'A'.repeat(43)}`);

  beforeAll(async () => {
    // The key's limit (1 a second, no burst) differs from the failure limit (3), so the headers say which refused.
    // The tests' requests come from 127.0.0.1, the proxy; X-Forwarded-For gives each test an address of its own.
    [first, second] = await twoReplicas({ RATE_LIMIT_PER_SECOND: '1', RATE_LIMIT_BURST: '1', AUTH_FAILURE_LIMIT: '3', AUTH_FAILURE_BLOCK_SECONDS: '60', TRUST_PROXY: 'loopback' });
  });

  afterAll(async () => {
    await second?.close();
    await first?.close();
  });

  const from = (gw: GatewayUnderTest, address: string, path = `/v1/orders/${randomUUID()}`) => gw.sut.http().get(path).set('X-Forwarded-For', address);
  const keyCounter = async (keyId: string) =>
    first.sut.dataSource.query(`SELECT points, expire FROM rate_limit WHERE key = $1`, [`rate:key:${keyId}`]) as Promise<unknown[]>;

  function expectBlockedAddress(res: Response): void {
    expect(res.status).toBe(429);
    expect(res.body).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    expect(res.body.detail).toMatch(/^Too many failed authentications from this address\./);
    expect(res.headers['ratelimit-limit']).toBe('3');
    expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(50);
    expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(60);
  }

  it('refuses a good key on the replica that did not see the failures, and counts nothing against the key', async () => {
    const { key, keyId } = await aPlatform(first.sut.dataSource);
    const guesser = '203.0.113.21';
    // The second replica knows the key (cached) and nothing of the failures to come.
    expect((await from(second, guesser).set(bearer(key))).status).toBe(200);
    const failures = [];
    for (let i = 0; i < 4; i++) failures.push((await from(first, guesser).set(wrongKey)).status);
    expect(failures).toEqual([401, 401, 401, 429]);
    const counted = await keyCounter(keyId);

    const orderId = randomUUID();
    const refused = await from(second, guesser, `/v1/orders/${orderId}`).set(bearer(key));

    expectBlockedAddress(refused);
    expect(second.orders.requestsTo(`/v1/orders/${orderId}`)).toHaveLength(0);
    expect(await keyCounter(keyId)).toEqual(counted);
    // Another address goes on with the same key.
    expect((await from(second, '203.0.113.22').set(bearer(key))).status).not.toBe(401);
  });

  it('answers a key over its own limit from an address blocked meanwhile as a blocked address', async () => {
    const { key } = await aPlatform(first.sut.dataSource);
    const guesser = '203.0.113.23';
    const spent = await Promise.all([from(second, guesser).set(bearer(key)), from(second, guesser).set(bearer(key))]);
    expect(spent.map((r) => r.status).sort()).toEqual([200, 429]);
    for (let i = 0; i < 4; i++) await from(first, guesser).set(wrongKey);

    expectBlockedAddress(await from(second, guesser).set(bearer(key)));
  });
});

describe('failed authentications behind a trusted proxy (TRUST_PROXY)', () => {
  let gw: GatewayUnderTest;

  beforeAll(async () => {
    // The test's requests come from 127.0.0.1: here that is the proxy, and X-Forwarded-For the client.
    gw = await startGateway({ AUTH_FAILURE_LIMIT: '2', AUTH_FAILURE_BLOCK_SECONDS: '60', TRUST_PROXY: 'loopback' });
    echoOrder(gw);
  });

  afterAll(async () => {
    await gw?.close();
  });

  it('counts failures against the client the proxy names, so other clients behind it go on', async () => {
    const { key } = await aPlatform(gw.sut.dataSource);
    const from = (client: string) => gw.sut.http().get(`/v1/orders/${randomUUID()}`).set('X-Forwarded-For', client);
    const guesser = '203.0.113.7';

    const failures = [await from(guesser).set(bearer(`sk_${'0'.repeat(24)}_${'A'.repeat(43)}`)), await from(guesser), await from(guesser)];
    const blocked = await from(guesser).set(bearer(key));
    const neighbour = await from('203.0.113.8').set(bearer(key));

    // Two failures are allowed; the third crosses the limit.
    expect(failures.map((r) => r.status)).toEqual([401, 401, 429]);
    expect(blocked.status).toBe(429);
    expect(blocked.body.code).toBe('RATE_LIMITED');
    expect(neighbour.status).toBe(200);
  });
});
