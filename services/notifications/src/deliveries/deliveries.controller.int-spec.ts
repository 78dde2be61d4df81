import { randomUUID } from 'node:crypto';
import { OrderStatusChangedV1 } from '@skald/contracts';
import { asPlatform, asStaff, TestWebhookReceiver, waitFor } from '@skald/testing';
import { aStatusChange, aSubscription, aWebhookSecret } from '../../test/factories.js';
import { deliveriesOfOrder, startNotifications, subscribe, type NotificationsHarness } from '../../test/notifications-harness.js';

describe('GET /v1/deliveries, with e-mail and SMS not configured (real PostgreSQL, RabbitMQ and webhook receiver)', () => {
  let h: NotificationsHarness;
  let receiver: TestWebhookReceiver;
  let receiverUrl: string;

  beforeAll(async () => {
    receiver = new TestWebhookReceiver(aWebhookSecret());
    receiverUrl = (await receiver.start()).url;
    h = await startNotifications({ channels: false });
  });

  afterAll(async () => {
    await h?.close();
    await receiver?.stop();
  });

  /** A shipped order with phone and a subscription: an e-mail and an SMS that wait, a webhook that goes. */
  async function aShippedOrder() {
    const subscription = aSubscription({ url: receiverUrl, secret: receiver.secret });
    await subscribe(h, subscription);
    const change = aStatusChange({ status: 'shipped' });
    const envelope = h.probe.publish(OrderStatusChangedV1, change, { tenantId: subscription.tenantId });
    await waitFor('the webhook sent and the rest planned', async () => {
      const rows = await deliveriesOfOrder(h, change.orderId);
      return rows.length === 3 && rows.find((row) => row.channel === 'webhook')?.status === 'sent';
    });
    return { change, subscription, envelope };
  }

  it('keeps e-mails and SMS pending with the reason while their channel is not configured', async () => {
    const { change, subscription, envelope } = await aShippedOrder();

    const res = await h.service.http().get('/v1/deliveries').query({ orderId: change.orderId }).set(asStaff(['ops']));

    expect(res.status).toBe(200);
    expect(res.body.nextCursor).toBeNull();
    const byChannel = Object.fromEntries(res.body.items.map((item: { channel: string }) => [item.channel, item]));
    expect(byChannel.email).toMatchObject({
      target: change.customer.email,
      status: 'pending',
      attemptCount: 0,
      attempts: [],
      lastError: 'SMTP_URL is not set: e-mails stay pending until it is',
      sourceMessageId: envelope.id,
      orderId: change.orderId,
      tenantId: subscription.tenantId,
      payload: { subject: `Your order ${change.externalId} has shipped` },
    });
    expect(byChannel.sms).toMatchObject({
      target: change.customer.phone,
      status: 'pending',
      attemptCount: 0,
      lastError: 'SMS_PROVIDER_URL is not set: SMS stay pending until it is',
    });
    expect(byChannel.webhook).toMatchObject({
      target: subscription.subscriptionId,
      status: 'sent',
      attemptCount: 1,
      lastError: null,
      nextAttemptAt: null,
      sentAt: expect.any(String),
      payload: { body: { type: 'order.shipped' } },
      attempts: [{ attempt: 1, outcome: 'sent', detail: 'HTTP 204', retryAt: null, at: expect.any(String), durationMs: expect.any(Number) }],
    });
    // Waiting is not failing: no attempt is spent on a channel that cannot send.
    const [email] = (await deliveriesOfOrder(h, change.orderId)).filter((row) => row.channel === 'email');
    expect(email.attempts).toBe(0);
  });

  it('filters by channel and status and pages newest first', async () => {
    const first = await aShippedOrder();
    const second = await aShippedOrder();
    const ops = asStaff(['ops']);

    const webhooks = await h.service.http().get('/v1/deliveries').query({ channel: 'webhook', status: 'sent', limit: 200 }).set(ops);
    expect(webhooks.status).toBe(200);
    const orderIds = webhooks.body.items.map((item: { orderId: string }) => item.orderId);
    expect(orderIds.indexOf(second.change.orderId)).toBeLessThan(orderIds.indexOf(first.change.orderId));
    expect(webhooks.body.items.every((item: { channel: string; status: string }) => item.channel === 'webhook' && item.status === 'sent')).toBe(true);

    const seen: string[] = [];
    let cursor: string | null | undefined;
    do {
      const page = await h.service
        .http()
        .get('/v1/deliveries')
        .query({ orderId: second.change.orderId, limit: 2, ...(cursor ? { cursor } : {}) })
        .set(ops);
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((item: { id: string }) => item.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    const all = await deliveriesOfOrder(h, second.change.orderId);
    expect(seen.sort()).toEqual(all.map((row) => row.id).sort());
  });

  it('is for ops staff only', async () => {
    const path = '/v1/deliveries';
    expect((await h.service.http().get(path)).status).toBe(401);
    expect((await h.service.http().get(path).set(asPlatform('tenant-1'))).body).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    expect((await h.service.http().get(path).set(asStaff(['warehouse']))).status).toBe(403);
    expect((await h.service.http().get(path).set(asStaff(['admin']))).status).toBe(200);
  });

  it('refuses a bad filter or cursor with problem details', async () => {
    const ops = asStaff(['ops']);
    const invalid = await h.service.http().get('/v1/deliveries').query({ channel: 'fax', limit: 0, colour: 'red' }).set(ops);
    expect(invalid.status).toBe(400);
    expect(invalid.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(invalid.body.code).toBe('VALIDATION_FAILED');
    expect(new Set(invalid.body.errors.map((e: { field: string }) => e.field))).toEqual(new Set(['channel', 'limit', 'colour']));

    const unknownCursor = await h.service.http().get('/v1/deliveries').query({ cursor: randomUUID() }).set(ops);
    expect(unknownCursor.status).toBe(400);
    expect(unknownCursor.body).toMatchObject({ code: 'INVALID_CURSOR' });
  });
});
