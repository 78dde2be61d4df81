import { createHash, randomUUID } from 'node:crypto';
import { waitFor } from '@skald/testing';
import type { Response } from 'supertest';
import { aPlatform, aStaffKey, bearer } from '../../test/factories.js';
import { startGateway, type GatewayUnderTest } from '../../test/gateway-under-test.js';
import { runCli } from '../cli/run-cli.js';

/** Runs the CLI in-process against the gateway's database; the new key is the last line. */
async function cli(databaseUrl: string, ...argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { env: { DATABASE_URL: databaseUrl }, out: (line) => out.push(line), err: (line) => err.push(line) });
  return { code, out, err };
}

describe('API keys: authentication and roles (gateway with fake upstreams; real PostgreSQL and RabbitMQ)', () => {
  let gw: GatewayUnderTest;

  beforeAll(async () => {
    gw = await startGateway();
    gw.orders.respondWith((request) => ({ status: 200, body: { id: request.url.split('/')[3], status: 'received' } }));
    gw.inventory.respondWith(() => ({ status: 200, body: { sku: 'x' } }));
  });

  afterAll(async () => {
    await gw?.close();
  });

  it('accepts the key `platform create` printed on its last line and forwards as that platform', async () => {
    const created = await cli(gw.sut.databaseUrl, 'platform', 'create', 'Acme Teas', '--price-tolerance', '2.5', '--review-threshold', '5000');
    expect(created.code).toBe(0);
    const key = created.out.at(-1)!;
    expect(key).toMatch(/^sk_[0-9a-f]{24}_[A-Za-z0-9_-]{43}$/);
    const tenantId = /tenant id\s+(\S+)/.exec(created.out.join('\n'))![1];

    const orderId = randomUUID();
    const res = await gw.sut.http().get(`/v1/orders/${orderId}`).set(bearer(key));

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: orderId, status: 'received' });
    const [forwarded] = gw.orders.requestsTo(`/v1/orders/${orderId}`);
    expect(forwarded.headers).toMatchObject({ 'x-skald-caller': 'platform', 'x-skald-tenant-id': tenantId });
    expect(forwarded.headers['x-skald-roles']).toBeUndefined();
  });

  it('stores only the SHA-256 of the secret, never the key', async () => {
    const { key, keyId } = await aPlatform(gw.sut.dataSource);
    const [row] = await gw.sut.dataSource.query(`SELECT secret_hash FROM api_key WHERE id = $1`, [keyId]);
    const secret = key.slice(`sk_${keyId}_`.length);
    expect((row.secret_hash as Buffer).toString('hex')).toBe(createHash('sha256').update(secret).digest('hex'));
    const everything = JSON.stringify(await gw.sut.dataSource.query(`SELECT * FROM api_key`));
    expect(everything).not.toContain(secret);
  });

  it.each([
    ['no Authorization header', undefined],
    ['a malformed key', 'Bearer not-a-key'],
    ['an unknown key', `Bearer sk_${'0'.repeat(24)}_${'A'.repeat(43)}`],
    ['another scheme', 'Basic dXNlcjpwYXNz'],
  ])('answers 401 UNAUTHENTICATED problem+json for %s, and forwards nothing', async (_case, authorization) => {
    const orderId = randomUUID();
    const req = gw.sut.http().get(`/v1/orders/${orderId}`);
    if (authorization) req.set('Authorization', authorization);
    const res = await req;

    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="skald"');
    expect(res.body).toMatchObject({ status: 401, code: 'UNAUTHENTICATED', instance: `/v1/orders/${orderId}` });
    expect(gw.orders.requestsTo(`/v1/orders/${orderId}`)).toHaveLength(0);
  });

  it('refuses a key with the right id but a wrong secret', async () => {
    const { keyId } = await aPlatform(gw.sut.dataSource);
    const res = await gw.sut.http().get(`/v1/orders/${randomUUID()}`).set(bearer(`sk_${keyId}_${'B'.repeat(43)}`));
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('UNAUTHENTICATED');
  });

  it('refuses a revoked key within a second (revoked with `key revoke`)', async () => {
    const { key, keyId } = await aPlatform(gw.sut.dataSource);
    expect((await gw.sut.http().get(`/v1/orders/${randomUUID()}`).set(bearer(key))).status).toBe(200);

    const revoked = await cli(gw.sut.databaseUrl, 'key', 'revoke', keyId);
    expect(revoked.code).toBe(0);

    // The revocation reaches the key cache by NOTIFY after the CLI's commit (ADR 7), not with the CLI's exit.
    let res: Response | undefined;
    await waitFor('the revoked key refused (401)', async () => {
      res = await gw.sut.http().get(`/v1/orders/${randomUUID()}`).set(bearer(key));
      return res.status === 401;
    }, 1_000);
    expect(res?.body.code).toBe('UNAUTHENTICATED');
  });

  it('answers 403 FORBIDDEN to a staff key without the role, and forwards nothing', async () => {
    const { key } = await aStaffKey(gw.sut.dataSource, ['warehouse']);
    const orderId = randomUUID();

    const res = await gw.sut.http().post(`/v1/orders/${orderId}/review`).set(bearer(key)).send({ decision: 'approve', reason: 'ok' });

    expect(res.status).toBe(403);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    expect(gw.orders.requestsTo(`/v1/orders/${orderId}`)).toHaveLength(0);
  });

  it('answers 403 to a platform key on a staff route, and to a staff key on a platform route', async () => {
    const platform = await aPlatform(gw.sut.dataSource);
    const staff = await aStaffKey(gw.sut.dataSource, ['admin']);

    const onStaffRoute = await gw.sut.http().get('/v1/stock/TEA-1').set(bearer(platform.key));
    const onPlatformRoute = await gw.sut.http().post('/v1/webhooks').set(bearer(staff.key)).send({ url: 'https://shop.example.org/hook', events: ['*'] });

    expect(onStaffRoute.status).toBe(403);
    expect(onStaffRoute.body.code).toBe('FORBIDDEN');
    expect(onPlatformRoute.status).toBe(403);
    expect(onPlatformRoute.body.code).toBe('FORBIDDEN');
  });

  it('lets a staff key with the role, or admin, through, and passes its roles (a key from `staff-key create`)', async () => {
    const created = await cli(gw.sut.databaseUrl, 'staff-key', 'create', '--roles', 'reviewer,ops');
    expect(created.code).toBe(0);
    const reviewer = created.out.at(-1)!;
    const admin = (await aStaffKey(gw.sut.dataSource, ['admin'])).key;
    const sku = `TEA-${randomUUID().slice(0, 8)}`;

    const asReviewer = await gw.sut.http().get(`/v1/stock/${sku}`).set(bearer(reviewer));
    const asAdmin = await gw.sut.http().get(`/v1/stock/${sku}/ledger`).set(bearer(admin));

    expect(asReviewer.status).toBe(200);
    expect(asAdmin.status).toBe(200);
    const [first, second] = gw.inventory.requestsTo(`/v1/stock/${sku}`);
    expect(first.headers).toMatchObject({ 'x-skald-caller': 'staff', 'x-skald-roles': 'reviewer,ops' });
    expect(first.headers['x-skald-tenant-id']).toBeUndefined();
    expect(second.headers).toMatchObject({ 'x-skald-caller': 'staff', 'x-skald-roles': 'admin' });
  });

  it('never forwards caller headers the client sent itself', async () => {
    const { key, tenantId } = await aPlatform(gw.sut.dataSource);
    const orderId = randomUUID();

    await gw.sut
      .http()
      .get(`/v1/orders/${orderId}`)
      .set(bearer(key))
      .set({ 'x-skald-tenant-id': 'someone-else', 'x-skald-caller': 'staff', 'x-skald-roles': 'admin' });

    const [forwarded] = gw.orders.requestsTo(`/v1/orders/${orderId}`);
    expect(forwarded.headers).toMatchObject({ 'x-skald-caller': 'platform', 'x-skald-tenant-id': tenantId });
    expect(forwarded.headers['x-skald-roles']).toBeUndefined();
  });
});
