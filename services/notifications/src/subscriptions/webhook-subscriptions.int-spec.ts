import { randomUUID } from 'node:crypto';
import {
  OrderStatusChangedV1,
  WebhookSubscriptionCreatedV1,
  WebhookSubscriptionDeletedV1,
  WebhookSubscriptionSecretRotatedV1,
} from '@skald/contracts';
import { openSecret, parseSecretKey } from '@skald/service-kit';
import { TestWebhookReceiver, waitFor } from '@skald/testing';
import { Webhook } from 'standardwebhooks';
import { aStatusChange, aSubscription, aWebhookSecret } from '../../test/factories.js';
import { attemptsOf, deliveriesOfOrder, sealFor, startNotifications, subscribe, type DeliveryRow, type NotificationsHarness } from '../../test/notifications-harness.js';
import { WebhookSubscription } from './webhook-subscription.entity.js';
import { WebhookSubscriptionsRepository } from './webhook-subscriptions.repository.js';
import { WebhookSubscriptionsService } from './webhook-subscriptions.service.js';

/** The webhook delivery of an order once it has left pending/sending. */
async function settledWebhook(h: NotificationsHarness, orderId: string): Promise<DeliveryRow> {
  return waitFor(`the webhook delivery of ${orderId} settled`, async () => {
    const rows = (await deliveriesOfOrder(h, orderId)).filter((row) => row.channel === 'webhook');
    return rows.length === 1 && (rows[0].status === 'sent' || rows[0].status === 'failed') ? rows[0] : undefined;
  });
}

/** A status change; with no e-mail or SMS channel configured, only its webhook is sent. */
const aWebhookOnlyChange = () => aStatusChange();

const secretBody = (secret: string) => secret.slice('whsec_'.length);

describe('webhook subscriptions: sealed secrets, rotation and deletion (real PostgreSQL, RabbitMQ and webhook receivers)', () => {
  let h: NotificationsHarness;
  const receivers: TestWebhookReceiver[] = [];

  async function aReceiver(secret = aWebhookSecret()): Promise<{ receiver: TestWebhookReceiver; url: string }> {
    const receiver = new TestWebhookReceiver(secret);
    receivers.push(receiver);
    return { receiver, url: (await receiver.start()).url };
  }
  const rowOf = async (id: string) => (await h.service.dataSource.query(`SELECT * FROM webhook_subscription WHERE id = $1`, [id]))[0];
  const key = () => parseSecretKey(h.service.config.WEBHOOK_SECRET_KEY);

  beforeAll(async () => {
    h = await startNotifications({ channels: false });
  });

  afterAll(async () => {
    await h?.close();
    await Promise.all(receivers.map((receiver) => receiver.stop()));
  });

  it('stores the secret sealed with WEBHOOK_SECRET_KEY, never in plain text, and signs deliveries with it', async () => {
    const { receiver, url } = await aReceiver();
    const subscription = aSubscription({ url, secret: receiver.secret });
    await subscribe(h, subscription);
    const change = aWebhookOnlyChange();

    h.probe.publish(OrderStatusChangedV1, change, { tenantId: subscription.tenantId });

    await receiver.waitForDelivery((webhook) => (webhook.payload as { data: { orderId: string } }).data.orderId === change.orderId);
    const row = await rowOf(subscription.subscriptionId);
    expect(row.secret).toBeNull();
    expect(row.encrypted_secret).toMatch(/^v1\./);
    expect(openSecret(key(), row.encrypted_secret, subscription.subscriptionId)).toBe(subscription.secret);
    const everything = JSON.stringify(await h.service.dataSource.query(`SELECT * FROM webhook_subscription`));
    expect(everything).not.toContain(secretBody(subscription.secret));
  });

  it('takes a subscription from a gateway that still sends the secret in plain text (v1), and seals it', async () => {
    const { receiver, url } = await aReceiver();
    const subscription = aSubscription({ url, secret: receiver.secret });

    h.probe.publish(WebhookSubscriptionCreatedV1, subscription, { tenantId: subscription.tenantId });

    const row = await waitFor('the v1 subscription stored', () => rowOf(subscription.subscriptionId));
    expect(row.secret).toBeNull();
    expect(openSecret(key(), row.encrypted_secret, subscription.subscriptionId)).toBe(subscription.secret);
  });

  it('seals a secret an older version stored in plain text, and still signs with it', async () => {
    const { receiver, url } = await aReceiver();
    const id = `sub-${randomUUID()}`;
    const tenantId = `tenant-${randomUUID()}`;
    await h.service.dataSource.query(`INSERT INTO webhook_subscription (id, tenant_id, url, events, secret) VALUES ($1, $2, $3, $4, $5)`, [
      id,
      tenantId,
      url,
      ['*'],
      receiver.secret,
    ]);

    expect(await h.service.dataSource.transaction((manager) => h.service.app.get(WebhookSubscriptionsService).sealPlainSecrets(manager))).toBe(1);

    const row = await rowOf(id);
    expect(row.secret).toBeNull();
    expect(openSecret(key(), row.encrypted_secret, id)).toBe(receiver.secret);
    const change = aWebhookOnlyChange();
    h.probe.publish(OrderStatusChangedV1, change, { tenantId });
    expect((await settledWebhook(h, change.orderId)).status).toBe('sent');
  });

  it('signs with both secrets for as long as the previous one is valid after a rotation, then with the new one only', async () => {
    const oldSecret = aWebhookSecret();
    const newSecret = aWebhookSecret();
    const { receiver, url } = await aReceiver(oldSecret);
    const subscription = aSubscription({ url, secret: oldSecret });
    await subscribe(h, subscription);

    h.probe.publish(
      WebhookSubscriptionSecretRotatedV1,
      {
        subscriptionId: subscription.subscriptionId,
        tenantId: subscription.tenantId,
        encryptedSecret: sealFor(h, newSecret, subscription.subscriptionId),
        previousSecretExpiresAt: new Date(Date.now() + 24 * 3600_000).toISOString(),
      },
      { tenantId: subscription.tenantId },
    );
    await waitFor('the rotation stored', async () => (await rowOf(subscription.subscriptionId)).previous_encrypted_secret !== null);

    // During the overlap: a receiver still on the old secret verifies, and so does one already on the new one.
    const during = aWebhookOnlyChange();
    h.probe.publish(OrderStatusChangedV1, during, { tenantId: subscription.tenantId });
    const both = await receiver.waitForDelivery((webhook) => (webhook.payload as { data: { orderId: string } }).data.orderId === during.orderId);
    const signatures = String(both.headers['webhook-signature']).split(' ');
    expect(signatures).toHaveLength(2);
    expect(signatures.every((signature) => signature.startsWith('v1,'))).toBe(true);
    const headersOf = (webhook: typeof both) => ({
      'webhook-id': String(webhook.headers['webhook-id']),
      'webhook-timestamp': String(webhook.headers['webhook-timestamp']),
      'webhook-signature': String(webhook.headers['webhook-signature']),
    });
    expect(new Webhook(newSecret).verify(both.rawBody, headersOf(both))).toEqual(both.payload);

    // After it: the new secret only.
    await h.service.dataSource.query(`UPDATE webhook_subscription SET previous_secret_expires_at = now() - interval '1 second' WHERE id = $1`, [
      subscription.subscriptionId,
    ]);
    receiver.useSecret(newSecret);
    const after = aWebhookOnlyChange();
    h.probe.publish(OrderStatusChangedV1, after, { tenantId: subscription.tenantId });
    const single = await receiver.waitForDelivery((webhook) => (webhook.payload as { data: { orderId: string } }).data.orderId === after.orderId);
    expect(String(single.headers['webhook-signature']).split(' ')).toHaveLength(1);
    expect(() => new Webhook(oldSecret).verify(single.rawBody, headersOf(single))).toThrow();
    expect(JSON.stringify(await rowOf(subscription.subscriptionId))).not.toContain(secretBody(newSecret));
  });

  it('stops delivering to a deleted subscription, also the retries of a delivery already planned, and forgets its secrets', async () => {
    const { receiver, url } = await aReceiver();
    const subscription = aSubscription({ url, secret: receiver.secret });
    await subscribe(h, subscription);
    // The receiver fails until the end: the delivery is being retried when the subscription ends.
    receiver.failNext(1_000);
    const planned = aWebhookOnlyChange();
    h.probe.publish(OrderStatusChangedV1, planned, { tenantId: subscription.tenantId });
    await waitFor('the first attempt to fail', () => receiver.requests.length === 1);

    h.probe.publish(WebhookSubscriptionDeletedV1, { subscriptionId: subscription.subscriptionId, tenantId: subscription.tenantId }, { tenantId: subscription.tenantId });
    await waitFor('the subscription deleted', async () => (await rowOf(subscription.subscriptionId)) === undefined);

    const delivery = await settledWebhook(h, planned.orderId);
    expect(delivery.status).toBe('failed');
    expect(delivery.attempts).toBeLessThan(h.service.config.DELIVERY_MAX_ATTEMPTS);
    expect(delivery.last_error).toContain('does not exist');
    const attempts = await attemptsOf(h, delivery.id);
    expect(attempts.at(-1)).toMatchObject({ outcome: 'rejected', retry_at: null });
    const later = aWebhookOnlyChange();
    h.probe.publish(OrderStatusChangedV1, later, { tenantId: subscription.tenantId });
    // The customer's e-mail is planned in the same transaction as any webhook would be.
    const laterDeliveries = await waitFor('the later event planned', async () => {
      const rows = await deliveriesOfOrder(h, later.orderId);
      return rows.length > 0 ? rows : undefined;
    });
    expect(laterDeliveries.map((row) => row.channel)).not.toContain('webhook');
    expect(receiver.requests.filter((request) => request.outcome !== 'failed')).toEqual([]);
  });
});

describe('webhook targets at send time (WEBHOOK_ALLOW_PRIVATE_NETWORKS off)', () => {
  let h: NotificationsHarness;
  let receiver: TestWebhookReceiver;
  let port: number;

  beforeAll(async () => {
    receiver = new TestWebhookReceiver(aWebhookSecret());
    port = (await receiver.start()).port;
    // Subscriptions as a gateway that allowed them left them (or as a name that resolves differently now).
    h = await startNotifications({ channels: false, env: { WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'false' } });
  });

  afterAll(async () => {
    await h?.close();
    await receiver?.stop();
  });

  it.each([
    ['IPv4 loopback', () => `http://127.0.0.1:${port}/webhooks`],
    ['IPv6 loopback', () => `http://[::1]:${port}/webhooks`],
    ['IPv4-mapped IPv6 loopback', () => `http://[::ffff:127.0.0.1]:${port}/webhooks`],
    ['localhost', () => `http://localhost:${port}/webhooks`],
    ['a decimal IPv4', () => `http://2130706433:${port}/webhooks`],
    ['a hexadecimal short IPv4', () => `http://0x7f.1:${port}/webhooks`],
    ['the metadata service', () => 'http://169.254.169.254/latest/meta-data/'],
    ['a private address', () => 'http://10.0.0.5/hooks'],
  ])('fails a delivery to %s for good after one attempt, WEBHOOK_URL_FORBIDDEN, sending nothing', async (_case, url) => {
    const subscription = aSubscription({ url: url(), secret: receiver.secret });
    await subscribe(h, subscription);
    const change = aWebhookOnlyChange();

    h.probe.publish(OrderStatusChangedV1, change, { tenantId: subscription.tenantId });

    const delivery = await settledWebhook(h, change.orderId);
    expect(delivery).toMatchObject({ status: 'failed', attempts: 1 });
    expect(delivery.last_error).toMatch(/^WEBHOOK_URL_FORBIDDEN: /);
    expect((await attemptsOf(h, delivery.id)).map((attempt) => [attempt.outcome, attempt.retry_at])).toEqual([['rejected', null]]);
    expect(receiver.requests).toEqual([]);
  });

  it("reads a tenant's subscriptions in plain SQL exactly as TypeORM hydrates them (a rotated one and a plain-text one included)", async () => {
    const tenantId = `tenant-${randomUUID()}`;
    const [first, second] = [aSubscription({ url: 'https://hooks.example.com/a', tenantId }), aSubscription({ url: 'https://hooks.example.com/b', tenantId, events: ['order.shipped', 'return.*'] })];
    await subscribe(h, first);
    await subscribe(h, second);
    const manager = h.service.dataSource.manager;
    await manager.query(
      `UPDATE webhook_subscription SET previous_encrypted_secret = encrypted_secret, previous_secret_expires_at = now() + interval '1 day', secret = 'legacy' WHERE id = $1`,
      [second.subscriptionId],
    );

    const read = await new WebhookSubscriptionsRepository().findByTenant(manager, tenantId);

    expect(read.map((subscription) => subscription.id)).toEqual([first.subscriptionId, second.subscriptionId]);
    expect(read).toStrictEqual(await manager.find(WebhookSubscription, { where: { tenantId }, order: { createdAt: 'ASC', id: 'ASC' } }));
    expect(read.every((subscription) => subscription instanceof WebhookSubscription)).toBe(true);
  });
});
