import { randomUUID } from 'node:crypto';
import { WebhookSubscriptionCreatedV1 } from '@skald/contracts';
import { BrokerProbe } from '@skald/testing';
import { aPlatform, bearer, type TestPlatform } from '../../test/factories.js';
import { startGateway, type GatewayUnderTest } from '../../test/gateway-under-test.js';

describe('POST /v1/webhooks (real PostgreSQL and RabbitMQ)', () => {
  let gw: GatewayUnderTest;
  let probe: BrokerProbe;
  let platform: TestPlatform;

  beforeAll(async () => {
    gw = await startGateway();
    probe = await new BrokerProbe(gw.sut.rabbitmqUrl).start([WebhookSubscriptionCreatedV1]);
    platform = await aPlatform(gw.sut.dataSource);
  });

  afterAll(async () => {
    await probe?.stop();
    await gw?.close();
  });

  const subscribe = (body: unknown, key = platform.key) => gw.sut.http().post('/v1/webhooks').set(bearer(key)).send(body as object);

  it('stores the subscription, answers 201 with a Standard Webhooks secret, and publishes it to notifications', async () => {
    const url = `https://shop.example.org/hooks/${randomUUID()}`;

    const res = await subscribe({ url, events: ['order.shipped', 'order.delivered'] });

    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id: expect.any(String), url, events: ['order.shipped', 'order.delivered'], secret: expect.any(String) });
    const secret = res.body.secret as string;
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+={0,2}$/);
    expect(Buffer.from(secret.slice('whsec_'.length), 'base64').length).toBeGreaterThanOrEqual(24);

    const message = await probe.next(WebhookSubscriptionCreatedV1, (payload) => payload.subscriptionId === res.body.id);
    expect(message.tenantId).toBe(platform.tenantId);
    expect(message.payload).toEqual({
      subscriptionId: res.body.id,
      tenantId: platform.tenantId,
      url,
      events: ['shipped', 'delivered'],
      secret,
    });

    const rows = await gw.sut.dataSource.query(`SELECT * FROM webhook_subscription WHERE id = $1`, [res.body.id]);
    expect(rows).toEqual([expect.objectContaining({ tenant_id: platform.tenantId, url, events: ['order.shipped', 'order.delivered'] })]);
    expect(JSON.stringify(rows)).not.toContain(secret.slice('whsec_'.length));
  });

  it('accepts `*` for every event, and http URLs without a top-level domain', async () => {
    const res = await subscribe({ url: 'http://shop-backend:8080/hooks', events: ['*'] });

    expect(res.status).toBe(201);
    const message = await probe.next(WebhookSubscriptionCreatedV1, (payload) => payload.subscriptionId === res.body.id);
    expect(message.payload.events).toEqual(['*']);
  });

  it('gives every subscription its own secret, and replays the same one to a retried request', async () => {
    const body = { url: `https://shop.example.org/hooks/${randomUUID()}`, events: ['order.cancelled'] };
    const key = randomUUID();

    const first = await gw.sut.http().post('/v1/webhooks').set(bearer(platform.key)).set('Idempotency-Key', key).send(body);
    const retried = await gw.sut.http().post('/v1/webhooks').set(bearer(platform.key)).set('Idempotency-Key', key).send(body);
    const another = await subscribe(body);

    expect(retried.status).toBe(201);
    expect(retried.headers['idempotent-replayed']).toBe('true');
    expect(retried.body).toEqual(first.body);
    expect(another.body.secret).not.toBe(first.body.secret);
    const rows = await gw.sut.dataSource.query(`SELECT id FROM webhook_subscription WHERE url = $1`, [body.url]);
    expect(rows).toHaveLength(2);
  });

  it.each([
    ['an ftp URL', { url: 'ftp://shop.example.org/hooks', events: ['*'] }, ['url']],
    ['a URL without protocol', { url: 'shop.example.org/hooks', events: ['*'] }, ['url']],
    ['no events', { url: 'https://shop.example.org/hooks', events: [] }, ['events']],
    ['an unknown event', { url: 'https://shop.example.org/hooks', events: ['order.shipped', 'order.teleported'] }, ['events']],
    ['a bare status instead of an event name', { url: 'https://shop.example.org/hooks', events: ['shipped'] }, ['events']],
    ['the same event twice', { url: 'https://shop.example.org/hooks', events: ['order.shipped', 'order.shipped'] }, ['events']],
    ['a secret of its own', { url: 'https://shop.example.org/hooks', events: ['*'], secret: 'mine' }, ['secret']],
  ])('refuses %s with 400, storing and publishing nothing', async (_case, body, fields) => {
    const before = await gw.sut.dataSource.query(`SELECT count(*)::int AS n FROM webhook_subscription`);
    const outboxBefore = await gw.sut.dataSource.query(`SELECT count(*)::int AS n FROM outbox_message`);

    const res = await subscribe(body);

    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect([...new Set(res.body.errors.map((e: { field: string }) => e.field))]).toEqual(fields);
    expect(await gw.sut.dataSource.query(`SELECT count(*)::int AS n FROM webhook_subscription`)).toEqual(before);
    expect(await gw.sut.dataSource.query(`SELECT count(*)::int AS n FROM outbox_message`)).toEqual(outboxBefore);
  });
});
