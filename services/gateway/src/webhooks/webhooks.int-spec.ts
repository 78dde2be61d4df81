import { randomUUID } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { hostname } from 'node:os';
import {
  WebhookSubscriptionCreatedV2,
  WebhookSubscriptionDeletedV1,
  WebhookSubscriptionSecretRotatedV1,
} from '@skald/contracts';
import { isPublicAddress, openSecret, parseSecretKey } from '@skald/service-kit';
import { BrokerProbe } from '@skald/testing';
import { aPlatform, bearer, type TestPlatform } from '../../test/factories.js';
import { startGateway, type GatewayUnderTest } from '../../test/gateway-under-test.js';

const WATCHED = [WebhookSubscriptionCreatedV2, WebhookSubscriptionSecretRotatedV1, WebhookSubscriptionDeletedV1];

describe('/v1/webhooks (real PostgreSQL and RabbitMQ)', () => {
  let gw: GatewayUnderTest;
  let probe: BrokerProbe;
  let platform: TestPlatform;

  beforeAll(async () => {
    gw = await startGateway();
    probe = await new BrokerProbe(gw.sut.rabbitmqUrl).start(WATCHED);
    platform = await aPlatform(gw.sut.dataSource);
  });

  afterAll(async () => {
    await probe?.stop();
    await gw?.close();
  });

  const subscribe = (body: unknown, key = platform.key) => gw.sut.http().post('/v1/webhooks').set(bearer(key)).send(body as object);
  const list = (key = platform.key) => gw.sut.http().get('/v1/webhooks').set(bearer(key));
  const unsubscribe = (id: string, key = platform.key) => gw.sut.http().delete(`/v1/webhooks/${id}`).set(bearer(key));
  const rotate = (id: string, key = platform.key) => gw.sut.http().post(`/v1/webhooks/${id}/rotate-secret`).set(bearer(key)).send();
  const open = (sealed: string, subscriptionId: string) => openSecret(parseSecretKey(gw.sut.config.WEBHOOK_SECRET_KEY), sealed, subscriptionId);
  const counts = async () => ({
    subscriptions: await gw.sut.dataSource.query(`SELECT count(*)::int AS n FROM webhook_subscription`),
    outbox: await gw.sut.dataSource.query(`SELECT count(*)::int AS n FROM outbox_message`),
  });
  /** Every place the gateway's database could hold a secret: subscriptions, outbox and idempotency records. */
  const everythingStored = async () =>
    JSON.stringify([
      await gw.sut.dataSource.query(`SELECT * FROM webhook_subscription`),
      await gw.sut.dataSource.query(`SELECT * FROM outbox_message`),
      await gw.sut.dataSource.query(`SELECT * FROM idempotency_record`),
    ]);
  const secretBody = (secret: string) => secret.slice('whsec_'.length);

  describe('POST /v1/webhooks', () => {
    it('stores the subscription, answers 201 with a Standard Webhooks secret, and publishes it sealed to notifications', async () => {
      const url = `https://shop.example.org/hooks/${randomUUID()}`;

      const res = await subscribe({ url, events: ['order.shipped', 'order.delivered'] });

      expect(res.status).toBe(201);
      expect(res.body).toEqual({ id: expect.any(String), url, events: ['order.shipped', 'order.delivered'], secret: expect.any(String) });
      const secret = res.body.secret as string;
      expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+={0,2}$/);
      expect(Buffer.from(secretBody(secret), 'base64').length).toBeGreaterThanOrEqual(24);

      const message = await probe.next(WebhookSubscriptionCreatedV2, (payload) => payload.subscriptionId === res.body.id);
      expect(message.tenantId).toBe(platform.tenantId);
      expect(message.payload).toEqual({
        subscriptionId: res.body.id,
        tenantId: platform.tenantId,
        url,
        events: ['shipped', 'delivered'],
        encryptedSecret: expect.stringMatching(/^v1\./),
      });
      expect(JSON.stringify(message)).not.toContain(secretBody(secret));
      expect(open(message.payload.encryptedSecret, res.body.id)).toBe(secret);

      const rows = await gw.sut.dataSource.query(`SELECT * FROM webhook_subscription WHERE id = $1`, [res.body.id]);
      expect(rows).toEqual([expect.objectContaining({ tenant_id: platform.tenantId, url, events: ['order.shipped', 'order.delivered'] })]);
      expect(await everythingStored()).not.toContain(secretBody(secret));
    });

    it('accepts return events, each status and the refund instruction, and publishes them with their prefix (a bare status is an order event)', async () => {
      const events = [
        'order.shipped',
        ...['requested', 'approved', 'rejected', 'received', 'inspected', 'refunded', 'exchanged', 'closed', 'cancelled', 'refund_requested'].map((e) => `return.${e}`),
      ];

      const res = await subscribe({ url: `https://shop.example.org/hooks/${randomUUID()}`, events });

      expect(res.status).toBe(201);
      expect(res.body.events).toEqual(events);
      const message = await probe.next(WebhookSubscriptionCreatedV2, (payload) => payload.subscriptionId === res.body.id);
      expect(message.payload.events).toEqual(['shipped', ...events.slice(1)]);
    });

    it('accepts `*` for every event, and http URLs without a top-level domain that do not resolve (checked when sending)', async () => {
      const res = await subscribe({ url: 'http://shop-backend:8080/hooks', events: ['*'] });

      expect(res.status).toBe(201);
      const message = await probe.next(WebhookSubscriptionCreatedV2, (payload) => payload.subscriptionId === res.body.id);
      expect(message.payload.events).toEqual(['*']);
    });

    it('gives every subscription its own secret, and replays a retried request without the secret, which it never stores', async () => {
      const body = { url: `https://shop.example.org/hooks/${randomUUID()}`, events: ['order.cancelled'] };
      const key = randomUUID();

      const first = await gw.sut.http().post('/v1/webhooks').set(bearer(platform.key)).set('Idempotency-Key', key).send(body);
      const retried = await gw.sut.http().post('/v1/webhooks').set(bearer(platform.key)).set('Idempotency-Key', key).send(body);
      const another = await subscribe(body);

      expect(first.status).toBe(201);
      expect(first.body.secret).toEqual(expect.any(String));
      expect(retried.status).toBe(201);
      expect(retried.headers['idempotent-replayed']).toBe('true');
      expect(retried.body).toEqual({ id: first.body.id, url: body.url, events: body.events });
      expect(another.body.secret).not.toBe(first.body.secret);
      const rows = await gw.sut.dataSource.query(`SELECT id FROM webhook_subscription WHERE url = $1`, [body.url]);
      expect(rows).toHaveLength(2);
      const records: Array<{ response_body: string }> = await gw.sut.dataSource.query(`SELECT response_body FROM idempotency_record WHERE key = $1`, [key]);
      expect(records).toHaveLength(1);
      expect(records[0].response_body).toContain(first.body.id);
      expect(await everythingStored()).not.toContain(secretBody(first.body.secret));
    });

    it.each([
      ['an ftp URL', { url: 'ftp://shop.example.org/hooks', events: ['*'] }, ['url']],
      ['a URL without protocol', { url: 'shop.example.org/hooks', events: ['*'] }, ['url']],
      ['no events', { url: 'https://shop.example.org/hooks', events: [] }, ['events']],
      ['an unknown event', { url: 'https://shop.example.org/hooks', events: ['order.shipped', 'order.teleported'] }, ['events']],
      ['an unknown return event', { url: 'https://shop.example.org/hooks', events: ['return.teleported'] }, ['events']],
      ['a wildcard of one kind', { url: 'https://shop.example.org/hooks', events: ['return.*'] }, ['events']],
      ['a bare status instead of an event name', { url: 'https://shop.example.org/hooks', events: ['shipped'] }, ['events']],
      ['the same event twice', { url: 'https://shop.example.org/hooks', events: ['order.shipped', 'order.shipped'] }, ['events']],
      ['a secret of its own', { url: 'https://shop.example.org/hooks', events: ['*'], secret: 'mine' }, ['secret']],
    ])('refuses %s with 400, storing and publishing nothing', async (_case, body, fields) => {
      const before = await counts();

      const res = await subscribe(body);

      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect([...new Set(res.body.errors.map((e: { field: string }) => e.field))]).toEqual(fields);
      expect(await counts()).toEqual(before);
    });

    it.each([
      ['IPv4 loopback', 'http://127.0.0.1:3001/hooks'],
      ['IPv6 loopback', 'http://[::1]:3001/hooks'],
      ['RFC 1918 10/8', 'http://10.0.0.5/hooks'],
      ['RFC 1918 172.16/12', 'http://172.16.0.1/hooks'],
      ['RFC 1918 192.168/16', 'https://192.168.1.10/hooks'],
      ['unique local fc00::/7', 'http://[fd12:3456::1]/hooks'],
      ['the metadata service', 'http://169.254.169.254/latest/meta-data/'],
      ['IPv6 link-local', 'http://[fe80::1]/hooks'],
      ['unspecified IPv4', 'http://0.0.0.0:3000/hooks'],
      ['unspecified IPv6', 'http://[::]/hooks'],
      ['IPv4-mapped IPv6 loopback', 'http://[::ffff:127.0.0.1]/hooks'],
      ['CGNAT', 'http://100.64.1.1/hooks'],
      ['localhost', 'http://localhost:15672/'],
      ['a *.localhost name', 'http://rabbitmq.localhost/'],
      ['a decimal IPv4', 'http://2130706433/'],
      ['a hexadecimal short IPv4', 'http://0x7f.1/'],
      ['credentials in the URL', 'https://user:pass@shop.example.org/hooks'],
    ])('refuses %s with 422 WEBHOOK_URL_FORBIDDEN, storing and publishing nothing', async (_case, url) => {
      const before = await counts();

      const res = await subscribe({ url, events: ['*'] });

      expect(res.status).toBe(422);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ status: 422, code: 'WEBHOOK_URL_FORBIDDEN' });
      expect(await counts()).toEqual(before);
    });

    it("refuses a name that resolves to a non-public address (this machine's own name)", async () => {
      const name = hostname();
      const addresses = await lookup(name, { all: true });
      expect(addresses.some(({ address }) => !isPublicAddress(address))).toBe(true);

      const res = await subscribe({ url: `http://${name}:8080/hooks`, events: ['*'] });

      expect(res.status).toBe(422);
      expect(res.body.code).toBe('WEBHOOK_URL_FORBIDDEN');
      expect(res.body.detail).toContain(`${name} resolves to`);
    });

    it('refuses the 21st subscription of a platform with 409 WEBHOOK_LIMIT_REACHED; deleting one makes room', async () => {
      const shop = await aPlatform(gw.sut.dataSource);
      const made = [];
      for (let i = 0; i < 20; i++) {
        const res = await subscribe({ url: `https://shop.example.org/hooks/${i}`, events: ['*'] }, shop.key);
        expect(res.status).toBe(201);
        made.push(res.body.id as string);
      }
      const before = await counts();

      const refused = await subscribe({ url: 'https://shop.example.org/hooks/21', events: ['*'] }, shop.key);

      expect(refused.status).toBe(409);
      expect(refused.body).toMatchObject({ status: 409, code: 'WEBHOOK_LIMIT_REACHED', limit: 20 });
      expect(await counts()).toEqual(before);
      expect((await subscribe({ url: 'https://shop.example.org/hooks/other-platform', events: ['*'] })).status).toBe(201);

      expect((await unsubscribe(made[0], shop.key)).status).toBe(204);
      expect((await subscribe({ url: 'https://shop.example.org/hooks/21', events: ['*'] }, shop.key)).status).toBe(201);
    });
  });

  describe('the subscription limit under concurrent requests', () => {
    it('lets only one of several simultaneous subscribes take the last place', async () => {
      const shop = await aPlatform(gw.sut.dataSource);
      for (let i = 0; i < 19; i++) {
        expect((await subscribe({ url: `https://shop.example.org/hooks/${i}`, events: ['*'] }, shop.key)).status).toBe(201);
      }

      const racing = await Promise.all([1, 2, 3, 4].map((i) => subscribe({ url: `https://shop.example.org/racing/${i}`, events: ['*'] }, shop.key)));

      expect(racing.map((res) => res.status).sort()).toEqual([201, 409, 409, 409]);
      const [{ n }] = await gw.sut.dataSource.query(`SELECT count(*)::int AS n FROM webhook_subscription WHERE tenant_id = $1`, [shop.tenantId]);
      expect(n).toBe(20);
    });
  });

  describe('GET /v1/webhooks', () => {
    it("lists the caller's subscriptions, oldest first, without secrets", async () => {
      const shop = await aPlatform(gw.sut.dataSource);
      const other = await aPlatform(gw.sut.dataSource);
      const first = await subscribe({ url: 'https://shop.example.org/a', events: ['order.shipped'] }, shop.key);
      const second = await subscribe({ url: 'https://shop.example.org/b', events: ['*'] }, shop.key);
      await subscribe({ url: 'https://other.example.org/c', events: ['*'] }, other.key);

      const res = await list(shop.key);

      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        items: [
          { id: first.body.id, url: 'https://shop.example.org/a', events: ['order.shipped'], createdAt: expect.any(String) },
          { id: second.body.id, url: 'https://shop.example.org/b', events: ['*'], createdAt: expect.any(String) },
        ],
      });
      expect(res.text).not.toContain(secretBody(first.body.secret));
      expect(res.text).not.toContain('secret');
    });
  });

  describe('DELETE /v1/webhooks/{id}', () => {
    it('ends the subscription and tells notifications; another platform cannot end it', async () => {
      const created = await subscribe({ url: 'https://shop.example.org/ending', events: ['*'] });
      const other = await aPlatform(gw.sut.dataSource);

      const foreign = await unsubscribe(created.body.id, other.key);
      const ended = await unsubscribe(created.body.id);
      const again = await unsubscribe(created.body.id);

      expect(foreign.status).toBe(404);
      expect(foreign.body.code).toBe('WEBHOOK_SUBSCRIPTION_NOT_FOUND');
      expect(ended.status).toBe(204);
      expect(again.status).toBe(404);
      const message = await probe.next(WebhookSubscriptionDeletedV1, (payload) => payload.subscriptionId === created.body.id);
      expect(message.payload).toEqual({ subscriptionId: created.body.id, tenantId: platform.tenantId });
      expect((await list()).body.items.map((item: { id: string }) => item.id)).not.toContain(created.body.id);
    });

    it('refuses an id that is not a UUID with 400', async () => {
      const res = await unsubscribe('not-a-uuid');

      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    });
  });

  describe('POST /v1/webhooks/{id}/rotate-secret', () => {
    it('shows a new secret once, sends it sealed to notifications with the previous one valid for 24 hours, and keeps none', async () => {
      const created = await subscribe({ url: 'https://shop.example.org/rotating', events: ['*'] });
      const before = Date.now();

      const res = await rotate(created.body.id);

      expect(res.status).toBe(200);
      expect(res.body).toEqual({ id: created.body.id, secret: expect.stringMatching(/^whsec_/), previousSecretExpiresAt: expect.any(String) });
      expect(res.body.secret).not.toBe(created.body.secret);
      const expiresAt = Date.parse(res.body.previousSecretExpiresAt);
      expect(expiresAt - before).toBeGreaterThanOrEqual(24 * 3600_000 - 1_000);
      expect(expiresAt - before).toBeLessThanOrEqual(24 * 3600_000 + 60_000);
      const message = await probe.next(WebhookSubscriptionSecretRotatedV1, (payload) => payload.subscriptionId === created.body.id);
      expect(message.payload).toEqual({
        subscriptionId: created.body.id,
        tenantId: platform.tenantId,
        encryptedSecret: expect.stringMatching(/^v1\./),
        previousSecretExpiresAt: res.body.previousSecretExpiresAt,
      });
      expect(open(message.payload.encryptedSecret, created.body.id)).toBe(res.body.secret);
      expect(await everythingStored()).not.toContain(secretBody(res.body.secret));
    });

    it('does not rotate again for a retried request (same Idempotency-Key): the replay answers without the secret', async () => {
      const created = await subscribe({ url: 'https://shop.example.org/retried-rotation', events: ['*'] });
      const key = randomUUID();
      const rotateWithKey = () => gw.sut.http().post(`/v1/webhooks/${created.body.id}/rotate-secret`).set(bearer(platform.key)).set('Idempotency-Key', key).send();

      const first = await rotateWithKey();
      const retried = await rotateWithKey();

      expect(first.status).toBe(200);
      expect(retried.status).toBe(200);
      expect(retried.headers['idempotent-replayed']).toBe('true');
      expect(retried.body).toEqual({ id: created.body.id, previousSecretExpiresAt: first.body.previousSecretExpiresAt });
      const rotations = await gw.sut.dataSource.query(`SELECT id FROM outbox_message WHERE routing_key = $1 AND envelope->'payload'->>'subscriptionId' = $2`, [
        WebhookSubscriptionSecretRotatedV1.routingKey,
        created.body.id,
      ]);
      expect(rotations).toHaveLength(1);
      expect(await everythingStored()).not.toContain(secretBody(first.body.secret));
    });

    it("answers 404 for another platform's subscription, publishing nothing", async () => {
      const created = await subscribe({ url: 'https://shop.example.org/mine', events: ['*'] });
      const other = await aPlatform(gw.sut.dataSource);
      const before = await counts();

      const res = await rotate(created.body.id, other.key);

      expect(res.status).toBe(404);
      expect(res.body.code).toBe('WEBHOOK_SUBSCRIPTION_NOT_FOUND');
      expect(await counts()).toEqual(before);
    });
  });
});

describe('/v1/webhooks with WEBHOOK_ALLOW_PRIVATE_NETWORKS=true (local development)', () => {
  let gw: GatewayUnderTest;
  let platform: TestPlatform;

  beforeAll(async () => {
    gw = await startGateway({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' });
    platform = await aPlatform(gw.sut.dataSource);
  });

  afterAll(async () => {
    await gw?.close();
  });

  it('accepts loopback and private targets, but still no credentials in the URL', async () => {
    const subscribe = (url: string) => gw.sut.http().post('/v1/webhooks').set(bearer(platform.key)).send({ url, events: ['*'] });

    expect((await subscribe('http://127.0.0.1:3001/hooks')).status).toBe(201);
    expect((await subscribe('http://localhost:8080/hooks')).status).toBe(201);
    expect((await subscribe('http://10.0.0.5/hooks')).status).toBe(201);
    const withCredentials = await subscribe('http://user:pass@127.0.0.1/hooks');
    expect(withCredentials.status).toBe(422);
    expect(withCredentials.body.code).toBe('WEBHOOK_URL_FORBIDDEN');
  });
});
