import { OrderStatusChangedV1, RefundRequestedV1 } from '@skald/contracts';
import { TestWebhookReceiver, waitFor } from '@skald/testing';
import { aRefundRequested, aStatusChange, aSubscription, aWebhookSecret } from '../../test/factories.js';
import {
  attemptsOf,
  deliveriesOfOrder,
  duplicateCount,
  settledDeliveries,
  SMS_TOKEN,
  startNotifications,
  subscribe,
  type NotificationsHarness,
} from '../../test/notifications-harness.js';

describe('order status notifications (real PostgreSQL, RabbitMQ, SMTP, SMS provider and webhook receivers)', () => {
  let h: NotificationsHarness;
  const receivers: TestWebhookReceiver[] = [];

  async function aReceiver(): Promise<{ receiver: TestWebhookReceiver; url: string }> {
    const receiver = new TestWebhookReceiver(aWebhookSecret());
    receivers.push(receiver);
    const { url } = await receiver.start();
    return { receiver, url };
  }

  beforeAll(async () => {
    h = await startNotifications();
  });

  afterAll(async () => {
    await h?.close();
    await Promise.all(receivers.map((receiver) => receiver.stop()));
  });

  it('tells the customer by e-mail and SMS and the platform by a signed webhook when an order ships', async () => {
    const { receiver, url } = await aReceiver();
    const subscription = aSubscription({ url, events: ['*'], secret: receiver.secret });
    await subscribe(h, subscription);
    const change = aStatusChange({
      status: 'shipped',
      customer: { id: 'c-1', name: 'Ada & Co <b>', email: `ada-${Date.now()}@example.com`, phone: '+49 170 5550001' },
      shipments: [
        { shipmentId: 'shp-1', carrier: 'DHL', trackingNumber: 'JD014600001' },
        { shipmentId: 'shp-2', carrier: 'UPS', trackingNumber: '1Z999AA10123456784' },
      ],
    });

    const envelope = h.probe.publish(OrderStatusChangedV1, change, { tenantId: subscription.tenantId });

    const mail = await h.smtp!.waitForMail((m) => m.to.includes(change.customer.email));
    expect(mail.subject).toBe(`Your order ${change.externalId} has shipped`);
    expect(mail.from).toBe('orders@shop.example');
    expect(mail.text).toContain('DHL: tracking number JD014600001');
    expect(mail.text).toContain('UPS: tracking number 1Z999AA10123456784');
    expect(mail.html).toContain('<li>DHL: tracking number JD014600001</li>');
    // The customer's name is data, not markup.
    expect(mail.html).toContain('Hello Ada &amp; Co &lt;b&gt;,');
    expect(mail.html).not.toContain('<b>');

    const sms = await h.sms!.waitForSms((s) => s.to === '+49 170 5550001');
    expect(sms.body).toBe(`Your order ${change.externalId} has shipped. Tracking: DHL JD014600001, UPS 1Z999AA10123456784`);
    expect(sms.authorization).toBe(`Bearer ${SMS_TOKEN}`);

    const webhook = await receiver.waitForDelivery();
    expect(webhook.payload).toEqual({
      type: 'order.shipped',
      timestamp: new Date(change.changedAt).toISOString(),
      data: {
        orderId: change.orderId,
        externalId: change.externalId,
        status: 'shipped',
        previousStatus: 'packed',
        reason: null,
        shipments: change.shipments,
      },
    });
    expect(receiver.rejected).toEqual([]);

    const rows = await settledDeliveries(h, change.orderId, 3);
    expect(rows.map((row) => [row.channel, row.target, row.status, row.attempts])).toEqual([
      ['email', change.customer.email, 'sent', 1],
      ['sms', '+49 170 5550001', 'sent', 1],
      ['webhook', subscription.subscriptionId, 'sent', 1],
    ]);
    expect(rows.every((row) => row.source_message_id === envelope.id && row.tenant_id === subscription.tenantId)).toBe(true);
    const [email, text, hook] = rows;
    // Each channel carries the delivery id, so a receiver can recognise a repeated send.
    expect(mail.messageId).toBe(`<${email.id}@notifications.skald>`);
    expect(sms.reference).toBe(text.id);
    expect(webhook.id).toBe(hook.id);
    for (const row of rows) {
      const attempts = await attemptsOf(h, row.id);
      expect(attempts).toEqual([expect.objectContaining({ attempt: 1, outcome: 'sent', retry_at: null })]);
    }
    expect((await attemptsOf(h, email.id))[0].detail).toMatch(/^250 /);
    expect((await attemptsOf(h, text.id))[0].detail).toMatch(/^HTTP 202/);
    expect((await attemptsOf(h, hook.id))[0].detail).toBe('HTTP 204');
  });

  it('notifies once when the same event arrives twice, and even when it gets past the inbox again', async () => {
    const { receiver, url } = await aReceiver();
    const subscription = aSubscription({ url, secret: receiver.secret });
    await subscribe(h, subscription);
    const change = aStatusChange({ status: 'delivered' });
    const duplicatesBefore = await duplicateCount(h, OrderStatusChangedV1);

    const envelope = h.probe.publish(OrderStatusChangedV1, change, { tenantId: subscription.tenantId });
    h.probe.publish(OrderStatusChangedV1, change, { tenantId: subscription.tenantId, id: envelope.id, correlationId: envelope.correlationId });
    await waitFor('the duplicate absorbed by the inbox', async () => (await duplicateCount(h, OrderStatusChangedV1)) === duplicatesBefore + 1);
    await settledDeliveries(h, change.orderId, 3);

    // As if the inbox record were gone (pruned, or a replay): the handler runs again, for real.
    await h.service.dataSource.query(`DELETE FROM inbox_message WHERE message_id = $1`, [envelope.id]);
    h.probe.publish(OrderStatusChangedV1, change, { tenantId: subscription.tenantId, id: envelope.id, correlationId: envelope.correlationId });
    await waitFor('the replayed message handled', async () => {
      const rows: unknown[] = await h.service.dataSource.query(`SELECT 1 FROM inbox_message WHERE message_id = $1`, [envelope.id]);
      return rows.length === 1;
    });

    const rows = await deliveriesOfOrder(h, change.orderId);
    expect(rows.map((row) => [row.channel, row.status, row.attempts])).toEqual([
      ['email', 'sent', 1],
      ['sms', 'sent', 1],
      ['webhook', 'sent', 1],
    ]);
    expect(h.smtp!.mailsTo(change.customer.email)).toHaveLength(1);
    expect(h.sms!.messages.filter((sms) => sms.to === change.customer.phone)).toHaveLength(1);
    expect(receiver.requests).toHaveLength(1);
  });

  it('sends webhooks only to the tenant subscriptions that listen to the status', async () => {
    const shippedOnly = await aReceiver();
    const deliveredOnly = await aReceiver();
    const otherTenant = await aReceiver();
    const tenantId = `tenant-${Date.now()}`;
    const toShipped = aSubscription({ tenantId, url: shippedOnly.url, events: ['order.shipped'], secret: shippedOnly.receiver.secret });
    // The contract documents events as bare statuses (what the gateway publishes); `order.<status>` is accepted too.
    const toDelivered = aSubscription({ tenantId, url: deliveredOnly.url, events: ['delivered'], secret: deliveredOnly.receiver.secret });
    const elsewhere = aSubscription({ url: otherTenant.url, events: ['*'], secret: otherTenant.receiver.secret });
    for (const subscription of [toShipped, toDelivered, elsewhere]) await subscribe(h, subscription);
    const change = aStatusChange({ status: 'shipped', customer: { ...aStatusChange().customer, phone: null } });

    h.probe.publish(OrderStatusChangedV1, change, { tenantId });
    const rows = await settledDeliveries(h, change.orderId, 2);
    expect(rows.map((row) => [row.channel, row.target])).toEqual([
      ['email', change.customer.email],
      ['webhook', toShipped.subscriptionId],
    ]);
    await shippedOnly.receiver.waitForDelivery((webhook) => (webhook.payload as { type: string }).type === 'order.shipped');

    const delivered = { ...change, status: 'delivered' as const, previousStatus: 'shipped' as const };
    h.probe.publish(OrderStatusChangedV1, delivered, { tenantId });
    await deliveredOnly.receiver.waitForDelivery((webhook) => (webhook.payload as { type: string }).type === 'order.delivered');
    const all = await settledDeliveries(h, change.orderId, 4);
    expect(all.filter((row) => row.channel === 'webhook').map((row) => row.target).sort()).toEqual(
      [toShipped.subscriptionId, toDelivered.subscriptionId].sort(),
    );
    // No phone: no SMS, even for shipped and delivered.
    expect(all.some((row) => row.channel === 'sms')).toBe(false);
    expect(shippedOnly.receiver.requests).toHaveLength(1);
    expect(deliveredOnly.receiver.requests).toHaveLength(1);
    expect(otherTenant.receiver.requests).toHaveLength(0);
  });

  it('sends no SMS for other statuses, but always an e-mail', async () => {
    const change = aStatusChange({ status: 'on_hold', previousStatus: 'received', reason: 'credit limit exceeded', shipments: [] });
    h.probe.publish(OrderStatusChangedV1, change, { tenantId: `tenant-${Date.now()}` });
    const mail = await h.smtp!.waitForMail((m) => m.to.includes(change.customer.email));
    expect(mail.subject).toBe(`Your order ${change.externalId} is being reviewed`);
    // Hold reasons are internal.
    expect(mail.text).not.toContain('credit limit');
    const rows = await settledDeliveries(h, change.orderId, 1);
    expect(rows.map((row) => row.channel)).toEqual(['email']);
  });

  it('tells a partially shipped order by e-mail and SMS with its tracking numbers, and by an order.partially_shipped webhook', async () => {
    const { receiver, url } = await aReceiver();
    const subscription = aSubscription({ url, events: ['order.partially_shipped'], secret: receiver.secret });
    await subscribe(h, subscription);
    const change = aStatusChange({
      status: 'partially_shipped',
      previousStatus: 'backordered',
      shipments: [{ shipmentId: 'shp-p1', carrier: 'SF Express', trackingNumber: 'SF100200300' }],
    });

    h.probe.publish(OrderStatusChangedV1, change, { tenantId: subscription.tenantId });

    const mail = await h.smtp!.waitForMail((m) => m.to.includes(change.customer.email));
    expect(mail.subject).toBe(`Part of your order ${change.externalId} has shipped`);
    expect(mail.text).toContain('- SF Express: tracking number SF100200300');
    const sms = await h.sms!.waitForSms((s) => s.to === change.customer.phone);
    expect(sms.body).toBe(`Part of your order ${change.externalId} has shipped. Tracking: SF Express SF100200300`);
    const webhook = await receiver.waitForDelivery();
    expect(webhook.payload).toMatchObject({
      type: 'order.partially_shipped',
      data: { orderId: change.orderId, status: 'partially_shipped', previousStatus: 'backordered', shipments: change.shipments },
    });
    const rows = await settledDeliveries(h, change.orderId, 3);
    expect(rows.map((row) => [row.channel, row.status])).toEqual([
      ['email', 'sent'],
      ['sms', 'sent'],
      ['webhook', 'sent'],
    ]);
  });

  it('tells a backordered order by e-mail (no SMS) and by an order.backordered webhook', async () => {
    const { receiver, url } = await aReceiver();
    const subscription = aSubscription({ url, events: ['order.backordered'], secret: receiver.secret });
    await subscribe(h, subscription);
    const change = aStatusChange({ status: 'backordered', previousStatus: 'approved', reason: 'SKU-9 short by 4', shipments: [] });

    h.probe.publish(OrderStatusChangedV1, change, { tenantId: subscription.tenantId });

    const mail = await h.smtp!.waitForMail((m) => m.to.includes(change.customer.email));
    expect(mail.subject).toBe(`Your order ${change.externalId} is waiting for stock`);
    expect(mail.text).not.toContain('SKU-9');
    const webhook = await receiver.waitForDelivery();
    expect(webhook.payload).toMatchObject({ type: 'order.backordered', data: { status: 'backordered', reason: 'SKU-9 short by 4' } });
    const rows = await settledDeliveries(h, change.orderId, 2);
    expect(rows.map((row) => row.channel)).toEqual(['email', 'webhook']);
  });

  it('instructs the platform to refund by a signed order.refund_requested webhook to the subscriptions that want it', async () => {
    const tenantId = `tenant-${Date.now()}-refund`;
    const all = await aReceiver();
    const refunds = await aReceiver();
    const bare = await aReceiver();
    const statusesOnly = await aReceiver();
    const toAll = aSubscription({ tenantId, url: all.url, events: ['*'], secret: all.receiver.secret });
    const toRefunds = aSubscription({ tenantId, url: refunds.url, events: ['order.cancelled', 'order.refund_requested'], secret: refunds.receiver.secret });
    const toBare = aSubscription({ tenantId, url: bare.url, events: ['refund_requested'], secret: bare.receiver.secret });
    const toStatuses = aSubscription({ tenantId, url: statusesOnly.url, events: ['order.cancelled'], secret: statusesOnly.receiver.secret });
    for (const subscription of [toAll, toRefunds, toBare, toStatuses]) await subscribe(h, subscription);
    const refund = aRefundRequested({ amount: '59.80', currency: 'CNY', scope: 'lines_cancelled', reason: 'backorder deadline passed' });

    const envelope = h.probe.publish(RefundRequestedV1, refund, { tenantId });

    const expected = {
      type: 'order.refund_requested',
      timestamp: new Date(envelope.occurredAt).toISOString(),
      data: {
        refundId: refund.refundId,
        orderId: refund.orderId,
        externalId: refund.externalId,
        amount: '59.80',
        currency: 'CNY',
        scope: 'lines_cancelled',
        reason: 'backorder deadline passed',
      },
    };
    for (const { receiver } of [all, refunds, bare]) {
      expect((await receiver.waitForDelivery()).payload).toEqual(expected);
      expect(receiver.rejected).toEqual([]);
    }
    const rows = await settledDeliveries(h, refund.orderId, 3);
    expect(rows.map((row) => [row.channel, row.status]).every(([channel, status]) => channel === 'webhook' && status === 'sent')).toBe(true);
    expect(rows.map((row) => row.target).sort()).toEqual([toAll.subscriptionId, toRefunds.subscriptionId, toBare.subscriptionId].sort());
    expect(statusesOnly.receiver.requests).toHaveLength(0);
  });
});
