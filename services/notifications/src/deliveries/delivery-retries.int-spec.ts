import { randomUUID } from 'node:crypto';
import { OrderStatusChangedV1 } from '@skald/contracts';
import { TestWebhookReceiver, waitFor } from '@skald/testing';
import { DataSource } from 'typeorm';
import { aStatusChange, aSubscription, aWebhookSecret } from '../../test/factories.js';
import { attemptsOf, settledDeliveries, startNotifications, subscribe, type NotificationsHarness } from '../../test/notifications-harness.js';
import { DeliveriesRepository } from './deliveries.repository.js';
import { DeliveryDispatcher } from './delivery-dispatcher.js';
import { DeliveryPlanner } from './delivery-planner.service.js';
import { DeliverySender } from './delivery-sender.js';

const BASE_MS = 300;
const MAX_ATTEMPTS = 3;

describe('delivery retries and claims (real PostgreSQL, RabbitMQ, SMTP, SMS provider and webhook receiver)', () => {
  let h: NotificationsHarness;
  let receiver: TestWebhookReceiver;
  let receiverUrl: string;

  beforeAll(async () => {
    receiver = new TestWebhookReceiver(aWebhookSecret());
    receiverUrl = (await receiver.start()).url;
    h = await startNotifications({ env: { DELIVERY_RETRY_BASE_MS: String(BASE_MS), DELIVERY_MAX_ATTEMPTS: String(MAX_ATTEMPTS) } });
  });

  afterAll(async () => {
    await h?.close();
    await receiver?.stop();
  });

  it('delivers a webhook on the 3rd attempt after two failures, backing off exponentially', async () => {
    const subscription = aSubscription({ url: receiverUrl, events: ['order.shipped'], secret: receiver.secret });
    await subscribe(h, subscription);
    receiver.failNext(2);
    const change = aStatusChange({ customer: { ...aStatusChange().customer, phone: null } });

    h.probe.publish(OrderStatusChangedV1, change, { tenantId: subscription.tenantId });

    await receiver.waitForDelivery((webhook) => (webhook.payload as { data: { orderId: string } }).data.orderId === change.orderId);
    const [, webhook] = await settledDeliveries(h, change.orderId, 2);
    expect(webhook).toMatchObject({ channel: 'webhook', status: 'sent', attempts: 3, last_error: null, next_attempt_at: null });
    // The same webhook-id on every attempt: the receiver can tell a retry from a new event.
    expect(receiver.requests.map((request) => [request.id, request.outcome])).toEqual([
      [webhook.id, 'failed'],
      [webhook.id, 'failed'],
      [webhook.id, 'delivered'],
    ]);

    const attempts = await attemptsOf(h, webhook.id);
    expect(attempts.map((a) => [a.attempt, a.outcome, a.detail])).toEqual([
      [1, 'failed', 'HTTP 500: receiver failing (test)'],
      [2, 'failed', 'HTTP 500: receiver failing (test)'],
      [3, 'sent', 'HTTP 204'],
    ]);
    const [first, second, third] = attempts;
    // Back-off: BASE after the 1st failure, twice that after the 2nd, counted from the end of the attempt.
    const backoff = (a: (typeof attempts)[number]) => a.retry_at!.getTime() - a.at.getTime() - a.duration_ms!;
    expect(backoff(first)).toBeGreaterThanOrEqual(BASE_MS - 5);
    expect(backoff(first)).toBeLessThan(BASE_MS * 2 - 50);
    expect(backoff(second)).toBeGreaterThanOrEqual(BASE_MS * 2 - 5);
    expect(backoff(second)).toBeLessThan(BASE_MS * 4 - 50);
    // No attempt before its time.
    expect(second.at.getTime()).toBeGreaterThanOrEqual(first.retry_at!.getTime());
    expect(third.at.getTime()).toBeGreaterThanOrEqual(second.retry_at!.getTime());
    expect(third.retry_at).toBeNull();
  });

  it('retries an SMS the provider refused with 503 and gives up after the last attempt', async () => {
    h.sms!.failNext(MAX_ATTEMPTS);
    const change = aStatusChange({ status: 'delivered', previousStatus: 'shipped' });

    h.probe.publish(OrderStatusChangedV1, change, { tenantId: `tenant-${randomUUID()}` });

    const [, sms] = await settledDeliveries(h, change.orderId, 2);
    expect(sms).toMatchObject({ channel: 'sms', status: 'failed', attempts: MAX_ATTEMPTS, next_attempt_at: null, sent_at: null });
    expect(sms.last_error).toMatch(/^HTTP 503/);
    const attempts = await attemptsOf(h, sms.id);
    expect(attempts.map((a) => [a.attempt, a.outcome, a.retry_at === null])).toEqual([
      [1, 'failed', false],
      [2, 'failed', false],
      [3, 'failed', true],
    ]);
    expect(h.sms!.messages.filter((m) => m.to === change.customer.phone)).toEqual([]);
  });

  it('does not retry an e-mail the SMTP server refused for good (5xx)', async () => {
    h.smtp!.refuseNext(1, 550);
    const change = aStatusChange({ status: 'approved', previousStatus: 'received', customer: { ...aStatusChange().customer, phone: null } });

    h.probe.publish(OrderStatusChangedV1, change, { tenantId: null });

    const [email] = await settledDeliveries(h, change.orderId, 1);
    expect(email).toMatchObject({ channel: 'email', status: 'failed', attempts: 1 });
    expect(email.last_error).toMatch(/^550 /);
    expect(await attemptsOf(h, email.id)).toEqual([expect.objectContaining({ attempt: 1, outcome: 'rejected', retry_at: null })]);
  });

  it('retries an e-mail the SMTP server deferred (4xx)', async () => {
    h.smtp!.refuseNext(1, 451);
    const change = aStatusChange({ status: 'picking', previousStatus: 'released', customer: { ...aStatusChange().customer, phone: null } });

    h.probe.publish(OrderStatusChangedV1, change, { tenantId: null });

    await h.smtp!.waitForMail((mail) => mail.to.includes(change.customer.email));
    const [email] = await settledDeliveries(h, change.orderId, 1);
    expect(email).toMatchObject({ status: 'sent', attempts: 2 });
    expect((await attemptsOf(h, email.id)).map((a) => a.outcome)).toEqual(['failed', 'sent']);
  });

  it('takes over a delivery whose sender crashed once its lease has run out, logging the lost attempt', async () => {
    const id = randomUUID();
    const phone = `+3161${Date.now() % 1_000_000}`;
    // As a replica leaves it when it dies mid-send: claimed (attempt 1), lease already over.
    await h.service.dataSource.query(
      `INSERT INTO delivery (id, source_message_id, channel, target, payload, status, attempts, next_attempt_at)
       VALUES ($1, $2, 'sms', $3, $4, 'sending', 1, now() - interval '1 second')`,
      [id, randomUUID(), phone, JSON.stringify({ body: 'taken over' })],
    );

    const sms = await h.sms!.waitForSms((m) => m.to === phone);
    expect(sms).toMatchObject({ body: 'taken over', reference: id });
    await waitFor('the takeover recorded', async () => {
      const [row]: Array<{ status: string }> = await h.service.dataSource.query(`SELECT status FROM delivery WHERE id = $1`, [id]);
      return row.status === 'sent';
    });
    expect((await attemptsOf(h, id)).map((a) => [a.attempt, a.outcome])).toEqual([
      [1, 'expired'],
      [2, 'sent'],
    ]);
  });

  it('never hands the same delivery to two concurrent claimers', async () => {
    const app = h.service.app;
    const dispatcher = app.get(DeliveryDispatcher);
    const repository = app.get(DeliveriesRepository);
    const dataSource = app.get(DataSource);
    await dispatcher.stop();
    try {
      const orderId = `ord-${randomUUID()}`;
      await dataSource.transaction((manager) =>
        app.get(DeliveryPlanner).plan(
          manager,
          { messageId: randomUUID(), tenantId: null, orderId },
          Array.from({ length: 60 }, (_, i) => ({ channel: 'sms' as const, target: `+4471${i}`, payload: { body: 'claim race' } })),
        ),
      );

      // Eight claimers at once, each on its own connection, as eight replicas would.
      const claims = await Promise.all(
        Array.from({ length: 8 }, () => repository.claimDue(dataSource.manager, { limit: 10, channels: ['sms'], maxAttempts: 3, leaseMs: 60_000 })),
      );

      const ids = claims.flat().map((claim) => claim.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.length).toBe(60);
      expect(claims.flat().every((claim) => claim.attempt === 1)).toBe(true);
      const rows: Array<{ status: string; attempts: number }> = await dataSource.query(`SELECT status, attempts FROM delivery WHERE order_id = $1`, [orderId]);
      expect(rows.every((row) => row.status === 'sending' && row.attempts === 1)).toBe(true);
      // Not meant to be sent: end them so the dispatcher leaves them alone.
      await dataSource.query(`UPDATE delivery SET status = 'failed', next_attempt_at = NULL WHERE order_id = $1`, [orderId]);
    } finally {
      await dispatcher.start();
    }
  });

  it('sends each delivery once when several dispatchers (replicas) compete for them', async () => {
    const app = h.service.app;
    const second = new DeliveryDispatcher(app.get(DataSource), app.get(DeliveriesRepository), app.get(DeliverySender), h.service.config);
    const third = new DeliveryDispatcher(app.get(DataSource), app.get(DeliveriesRepository), app.get(DeliverySender), h.service.config);
    await Promise.all([second.start(), third.start()]);
    try {
      const orderId = `ord-${randomUUID()}`;
      const phones = Array.from({ length: 60 }, (_, i) => `+4470${String(i).padStart(4, '0')}${Date.now() % 10_000}`);
      await h.service.dataSource.transaction((manager) =>
        app.get(DeliveryPlanner).plan(
          manager,
          { messageId: randomUUID(), tenantId: null, orderId },
          phones.map((phone) => ({ channel: 'sms' as const, target: phone, payload: { body: `race ${phone}` } })),
        ),
      );

      const rows = await settledDeliveries(h, orderId, phones.length);
      expect(rows.every((row) => row.status === 'sent' && row.attempts === 1)).toBe(true);
      const received = h.sms!.messages.filter((m) => phones.includes(m.to));
      expect(received).toHaveLength(phones.length);
      expect(new Set(received.map((m) => m.reference)).size).toBe(phones.length);
    } finally {
      await Promise.all([second.stop(), third.stop()]);
    }
  });
});
