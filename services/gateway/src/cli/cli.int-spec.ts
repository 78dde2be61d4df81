import { PlatformRegisteredV1 } from '@skald/contracts';
import { createScratchDatabase } from '@skald/persistence';
import { BrokerProbe } from '@skald/testing';
import { bearer } from '../../test/factories.js';
import { startGateway, type GatewayUnderTest } from '../../test/gateway-under-test.js';
import { EXIT_CONFIG, EXIT_USAGE } from './cli-io.js';
import { runCli } from './run-cli.js';

async function cli(env: Record<string, string>, ...argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { env, out: (line) => out.push(line), err: (line) => err.push(line) });
  return { code, out, err };
}

describe('the skald CLI (real PostgreSQL and RabbitMQ)', () => {
  let gw: GatewayUnderTest;
  let probe: BrokerProbe;

  beforeAll(async () => {
    gw = await startGateway();
    probe = await new BrokerProbe(gw.sut.rabbitmqUrl).start([PlatformRegisteredV1]);
  });

  afterAll(async () => {
    await probe?.stop();
    await gw?.close();
  });

  it('registers a platform whose PlatformRegistered the running gateway relays, and prints its key last', async () => {
    const { code, out } = await cli({ DATABASE_URL: gw.sut.databaseUrl }, 'platform', 'create', 'Nordic Teas', '--price-tolerance', '2.5', '--review-threshold', '2500.50',
      '--shortage-policy', 'partial', '--backorder-days', '7', '--partial-remainder', 'cancel', '--max-backorder-days', '30');

    expect(code).toBe(0);
    const tenantId = /tenant id\s+(\S+)/.exec(out.join('\n'))![1];
    const key = out.at(-1)!;
    expect(key).toMatch(/^sk_[0-9a-f]{24}_[A-Za-z0-9_-]{43}$/);
    expect(out.slice(0, -1).join('\n')).not.toContain(key);

    const message = await probe.next(PlatformRegisteredV1, (payload) => payload.tenantId === tenantId);
    expect(message.tenantId).toBe(tenantId);
    expect(message.payload).toEqual({
      tenantId,
      name: 'Nordic Teas',
      priceTolerancePct: 2.5,
      reviewAmountThreshold: '2500.50',
      shortagePolicy: { mode: 'partial', backorderDays: 7, partialRemainder: 'cancel', maxBackorderDays: 30 },
    });
    const [platform] = await gw.sut.dataSource.query(
      `SELECT name, price_tolerance_pct, review_amount_threshold, shortage_mode, backorder_days, partial_remainder, max_backorder_days FROM platform WHERE id = $1`,
      [tenantId],
    );
    expect(platform).toEqual({
      name: 'Nordic Teas',
      price_tolerance_pct: '2.50',
      review_amount_threshold: '2500.5000',
      shortage_mode: 'partial',
      backorder_days: 7,
      partial_remainder: 'cancel',
      max_backorder_days: 30,
    });
    expect((await gw.sut.http().get('/v1/orders').set(bearer(key))).status).toBe(200);
  });

  it('uses the default review settings', async () => {
    const { code, out } = await cli({ DATABASE_URL: gw.sut.databaseUrl }, 'platform', 'create', 'Plain Shop');

    expect(code).toBe(0);
    const tenantId = /tenant id\s+(\S+)/.exec(out.join('\n'))![1];
    const message = await probe.next(PlatformRegisteredV1, (payload) => payload.tenantId === tenantId);
    expect(message.payload).toMatchObject({
      priceTolerancePct: 0,
      reviewAmountThreshold: '10000',
      shortagePolicy: { mode: 'reject', backorderDays: 14, partialRemainder: 'backorder', maxBackorderDays: 90 },
    });
  });

  it('creates and migrates a database that does not exist yet', async () => {
    const scratch = await createScratchDatabase('gateway_cli');
    try {
      const { code, out } = await cli({ DATABASE_URL: scratch.url }, 'staff-key', 'create', '--roles', 'warehouse');
      expect(code).toBe(0);
      expect(out.at(-1)).toMatch(/^sk_/);
    } finally {
      await scratch.drop();
    }
  });

  it.each([
    [['platform', 'create'], /exactly one <name>/],
    [['platform', 'create', 'A', 'B'], /exactly one <name>/],
    [['platform', 'create', 'Shop', '--price-tolerance', '101'], /price tolerance/],
    [['platform', 'create', 'Shop', '--price-tolerance', '2.555'], /price tolerance/],
    [['platform', 'create', 'Shop', '--shortage-policy', 'wait'], /shortage policy must be one of reject, backorder, partial/],
    [['platform', 'create', 'Shop', '--backorder-days', '0'], /backorder days/],
    [['platform', 'create', 'Shop', '--max-backorder-days', '366'], /max backorder days must be a whole number from 1 to 365/],
    [['platform', 'create', 'Shop', '--backorder-days', '30', '--max-backorder-days', '20'], /max backorder days must be at least the backorder days/],
    [['platform', 'create', 'Shop', '--partial-remainder', 'drop'], /partial remainder/],
    [['platform', 'create', 'Shop', '--review-threshold=-1'], /review threshold/],
    [['platform', 'create', 'Shop', '--review-threshold', 'lots'], /review threshold/],
    [['platform', 'create', 'Shop', '--rate-limit', '0'], /rate limit must be a whole number of requests per second from 1 to 1000000/],
    [['platform', 'create', 'Shop', '--rate-limit', '2.5'], /rate limit/],
    [['platform', 'create', 'Shop', '--rate-limit', '1000001'], /rate limit/],
    [['platform', 'set-rate-limit', '5d0c6a3e-0000-4000-8000-000000000000'], /needs <platform id> and <requests per second>/],
    [['platform', 'set-rate-limit', 'shop-1', '10'], /not a platform id/],
    [['platform', 'set-rate-limit', '5d0c6a3e-0000-4000-8000-000000000000', 'fast'], /rate limit must be .*, or "default"/],
    [['platform', 'set-rate-limit', '5d0c6a3e-0000-4000-8000-000000000000', '10', '--rate-limit', '5'], /does not take --rate-limit/],
    [['platform', 'create', 'Shop', '--roles', 'ops'], /does not take --roles/],
    [['platform', 'create', 'Shop', '--colour', 'red'], /colour/],
    [['staff-key', 'create'], /--roles/],
    [['staff-key', 'create', '--roles', 'reviewer,janitor'], /unknown role\(s\): janitor/],
    [['staff-key', 'create', '--roles', ','], /at least one role/],
    [['key', 'revoke', 'sk_abc'], /not a key id/],
    [['platform', 'delete', 'Shop'], /unknown command: platform delete/],
    [['demo', 'now'], /demo takes no arguments/],
    [['demo', '--roles', 'ops'], /demo does not take --roles/],
    [['demo', '--gateway-url', 'ftp://127.0.0.1:3000'], /not an http\(s\) URL/],
    [[], /Usage: skald/],
  ])('exits 64 with a clear message for %j, touching nothing', async (argv, message) => {
    const before = await gw.sut.dataSource.query(`SELECT (SELECT count(*) FROM platform) AS p, (SELECT count(*) FROM api_key) AS k`);

    const { code, out, err } = await cli({ DATABASE_URL: gw.sut.databaseUrl }, ...argv);

    expect(code).toBe(EXIT_USAGE);
    expect(err.join('\n')).toMatch(message);
    expect(out).toEqual([]);
    expect(await gw.sut.dataSource.query(`SELECT (SELECT count(*) FROM platform) AS p, (SELECT count(*) FROM api_key) AS k`)).toEqual(before);
  });

  it('without DATABASE_URL, works on the gateway database `npm start` uses: GATEWAY_DATABASE_URL', async () => {
    const { code, out } = await cli({ GATEWAY_DATABASE_URL: gw.sut.databaseUrl }, 'staff-key', 'create', '--roles', 'ops');

    expect(code).toBe(0);
    const keyId = /key id\s+([0-9a-f]{24})/.exec(out.join('\n'))![1];
    expect(await gw.sut.dataSource.query(`SELECT roles FROM api_key WHERE id = $1`, [keyId])).toEqual([{ roles: ['ops'] }]);
  });

  it('without DATABASE_URL nor GATEWAY_DATABASE_URL, looks for skald_gateway on the server of SKALD_POSTGRES_URL', async () => {
    // Nothing listens on port 1: the CLI names the database it tried, the one `npm start` would make.
    const { code, err } = await cli({ SKALD_POSTGRES_URL: 'postgres://postgres@127.0.0.1:1/' }, 'staff-key', 'create', '--roles', 'ops');

    expect(code).toBe(1);
    expect(err.join('\n')).toMatch(/cannot open the gateway database postgres:\/\/postgres@127\.0\.0\.1:1\/skald_gateway/);
  });

  it('exits 78 naming the variable whose URL is not PostgreSQL', async () => {
    const wrong = await cli({ DATABASE_URL: 'mysql://localhost/gateway' }, 'staff-key', 'create', '--roles', 'ops');
    const wrongGateway = await cli({ GATEWAY_DATABASE_URL: 'mysql://localhost/gateway' }, 'staff-key', 'create', '--roles', 'ops');
    const wrongServer = await cli({ SKALD_POSTGRES_URL: 'mysql://localhost' }, 'staff-key', 'create', '--roles', 'ops');

    expect(wrong.code).toBe(EXIT_CONFIG);
    expect(wrong.err.join('\n')).toMatch(/DATABASE_URL: must be a URL starting with postgres:/);
    expect(wrongGateway.code).toBe(EXIT_CONFIG);
    expect(wrongGateway.err.join('\n')).toMatch(/must be a URL starting with postgres:.*came from GATEWAY_DATABASE_URL/);
    expect(wrongServer.code).toBe(EXIT_CONFIG);
    expect(wrongServer.err.join('\n')).toMatch(/must be a URL starting with postgres:.*came from SKALD_POSTGRES_URL/);
  });

  it('demo: exits 1 naming the gateway when no suite answers there, before it writes anything', async () => {
    const count = async () => (await gw.sut.dataSource.query(`SELECT (SELECT count(*) FROM platform) AS p, (SELECT count(*) FROM api_key) AS k`))[0];
    const before = await count();

    const viaOption = await cli({ DATABASE_URL: gw.sut.databaseUrl }, 'demo', '--gateway-url', 'http://127.0.0.1:1');
    const viaPort = await cli({ DATABASE_URL: gw.sut.databaseUrl, GATEWAY_PORT: '1' }, 'demo');

    for (const { code, out, err } of [viaOption, viaPort]) {
      expect(code).toBe(1);
      expect(out[0]).toMatch(/^\[1\/10\] the suite at http:\/\/127\.0\.0\.1:1 is ready/);
      expect(err.join('\n')).toMatch(/the gateway at http:\/\/127\.0\.0\.1:1 does not answer .*npm start/);
    }
    expect(await count()).toEqual(before);
  });

  it('exits 1 when revoking a key that does not exist', async () => {
    const { code, err } = await cli({ DATABASE_URL: gw.sut.databaseUrl }, 'key', 'revoke', '0'.repeat(24));
    expect(code).toBe(1);
    expect(err.join('\n')).toMatch(/No active key/);
  });

  it('stores the rate limit of `platform create --rate-limit`, and none (the default) without it', async () => {
    const limited = await cli({ DATABASE_URL: gw.sut.databaseUrl }, 'platform', 'create', 'Busy Shop', '--rate-limit', '250');
    const plain = await cli({ DATABASE_URL: gw.sut.databaseUrl }, 'platform', 'create', 'Calm Shop');

    expect(limited.code).toBe(0);
    expect(limited.out.join('\n')).toMatch(/rate limit\s+250 requests\/s, burst 500/);
    expect(plain.out.join('\n')).toMatch(/rate limit\s+the gateway's default/);
    const rates = await gw.sut.dataSource.query(`SELECT name, rate_limit_per_second FROM platform WHERE name IN ('Busy Shop', 'Calm Shop') ORDER BY name`);
    expect(rates).toEqual([
      { name: 'Busy Shop', rate_limit_per_second: 250 },
      { name: 'Calm Shop', rate_limit_per_second: null },
    ]);
  });

  it('sets and clears the rate limit of an existing platform with `platform set-rate-limit`; exits 1 for an unknown platform', async () => {
    const created = await cli({ DATABASE_URL: gw.sut.databaseUrl }, 'platform', 'create', 'Growing Shop');
    const tenantId = /tenant id\s+(\S+)/.exec(created.out.join('\n'))![1];
    const rate = async () => (await gw.sut.dataSource.query(`SELECT rate_limit_per_second FROM platform WHERE id = $1`, [tenantId]))[0].rate_limit_per_second;

    const set = await cli({ DATABASE_URL: gw.sut.databaseUrl }, 'platform', 'set-rate-limit', tenantId, '40');
    expect(set.code).toBe(0);
    expect(set.out.join('\n')).toMatch(/40 requests\/s, burst 80/);
    expect(await rate()).toBe(40);

    const cleared = await cli({ DATABASE_URL: gw.sut.databaseUrl }, 'platform', 'set-rate-limit', tenantId, 'default');
    expect(cleared.code).toBe(0);
    expect(await rate()).toBeNull();

    const unknown = await cli({ DATABASE_URL: gw.sut.databaseUrl }, 'platform', 'set-rate-limit', '5d0c6a3e-0000-4000-8000-000000000000', '40');
    expect(unknown.code).toBe(1);
    expect(unknown.err.join('\n')).toMatch(/No platform 5d0c6a3e-0000-4000-8000-000000000000/);
  });
});
