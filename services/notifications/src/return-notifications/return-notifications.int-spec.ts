import { RETURN_STATUSES, ReturnRefundRequestedV1, ReturnStatusChangedV1, type ReturnStatus, type ReturnStatusChanged } from '@skald/contracts';
import { TestWebhookReceiver, waitFor } from '@skald/testing';
import { aReturnRefundRequested, aReturnStatusChange, aSubscription, aWebhookSecret } from '../../test/factories.js';
import {
  attemptsOf,
  deliveriesOfOrder,
  duplicateCount,
  settledDeliveries,
  startNotifications,
  subscribe,
  type NotificationsHarness,
} from '../../test/notifications-harness.js';

/** The steps of one return, each announced as returns does: status, the one before, a reason. */
const JOURNEY: Array<[status: ReturnStatus, previousStatus: ReturnStatus | null, reason: string | null]> = [
  ['requested', null, null],
  ['approved', 'requested', 'POLICY: no review needed'],
  ['received', 'approved', null],
  ['inspected', 'received', null],
  ['refunded', 'inspected', null],
  ['closed', 'refunded', null],
];

describe('return notifications (real PostgreSQL, RabbitMQ, SMTP and webhook receivers)', () => {
  let h: NotificationsHarness;
  const receivers: TestWebhookReceiver[] = [];

  async function aReceiver(): Promise<{ receiver: TestWebhookReceiver; url: string }> {
    const receiver = new TestWebhookReceiver(aWebhookSecret());
    receivers.push(receiver);
    const { url } = await receiver.start();
    return { receiver, url };
  }

  const typeOf = (payload: unknown): string => (payload as { type: string }).type;

  beforeAll(async () => {
    h = await startNotifications();
  });

  afterAll(async () => {
    await h?.close();
    await Promise.all(receivers.map((receiver) => receiver.stop()));
  });

  it('writes to the customer at request, decision, receipt and refund, with the RMA number in each subject, and to the platform at every step', async () => {
    const { receiver, url } = await aReceiver();
    const subscription = aSubscription({ url, events: ['*'], secret: receiver.secret });
    await subscribe(h, subscription);
    const first = aReturnStatusChange();
    const { rmaNumber, externalId, customer } = first;

    for (const [status, previousStatus, reason] of JOURNEY) {
      const change: ReturnStatusChanged = { ...first, status, previousStatus, reason, changedAt: new Date().toISOString() };
      if (status === 'refunded') change.refund = { amount: '47.50', currency: 'EUR' };
      h.probe.publish(ReturnStatusChangedV1, change, { tenantId: subscription.tenantId, correlationId: first.returnId });
      // One step after the other, as the return saga announces them.
      await receiver.waitForDelivery((webhook) => typeOf(webhook.payload) === `return.${status}`);
    }

    // Four e-mails, six webhooks: nothing for the customer at inspection and closing.
    const rows = await settledDeliveries(h, first.orderId, 10);
    expect(rows.filter((row) => row.channel === 'email').map((row) => [row.target, row.status, row.attempts])).toEqual(
      Array.from({ length: 4 }, () => [customer.email, 'sent', 1]),
    );
    expect(rows.filter((row) => row.channel === 'webhook').map((row) => [row.target, row.status])).toEqual(
      Array.from({ length: 6 }, () => [subscription.subscriptionId, 'sent']),
    );
    expect(rows.every((row) => row.tenant_id === subscription.tenantId)).toBe(true);

    const mails = h.smtp!.mailsTo(customer.email);
    const subjects = {
      requested: `We received your return request ${rmaNumber}`,
      approved: `Your return ${rmaNumber} has been approved`,
      received: `Your returned items for ${rmaNumber} have arrived`,
      refunded: `Your refund for return ${rmaNumber}`,
    };
    expect(mails.map((mail) => mail.subject).sort()).toEqual(Object.values(subjects).sort());
    const mail = (status: keyof typeof subjects) => mails.find((m) => m.subject === subjects[status])!;
    expect(mail('requested').text).toContain(`We received your return request ${rmaNumber} for order ${externalId}.`);
    expect(mail('requested').text).toContain(`Hello ${customer.name},`);
    expect(mail('approved').text).toContain(`write the return number ${rmaNumber} clearly on the parcel`);
    // The approval's reason is the policy's, not the customer's business.
    expect(mail('approved').text).not.toContain('POLICY');
    expect(mail('received').text).toContain('have arrived at our warehouse');
    expect(mail('refunded').text).toContain(`We have refunded 47.50 EUR for your return ${rmaNumber} (order ${externalId}).`);
    expect(mail('refunded').html).toContain(`<p>We have refunded 47.50 EUR for your return ${rmaNumber} (order ${externalId}).</p>`);
    expect(mails.every((m) => m.from === 'orders@shop.example')).toBe(true);
    // Each e-mail carries its delivery id, so a repeated send can be recognised.
    const emailIds = rows.filter((row) => row.channel === 'email').map((row) => `<${row.id}@notifications.skald>`);
    expect(mails.map((m) => m.messageId).sort()).toEqual(emailIds.sort());

    expect(receiver.rejected).toEqual([]);
    expect(receiver.deliveries.map((webhook) => typeOf(webhook.payload))).toEqual(JOURNEY.map(([status]) => `return.${status}`));
    const refunded = receiver.deliveries.find((webhook) => typeOf(webhook.payload) === 'return.refunded')!;
    expect(refunded.payload).toEqual({
      type: 'return.refunded',
      timestamp: expect.any(String),
      data: {
        returnId: first.returnId,
        rmaNumber,
        orderId: first.orderId,
        externalId,
        status: 'refunded',
        previousStatus: 'inspected',
        reason: null,
        refund: { amount: '47.50', currency: 'EUR' },
      },
    });
    expect(receiver.deliveries.find((webhook) => typeOf(webhook.payload) === 'return.approved')!.payload).toMatchObject({
      data: { status: 'approved', previousStatus: 'requested', reason: 'POLICY: no review needed', refund: null },
    });
    const hook = rows.find((row) => row.channel === 'webhook')!;
    expect(await attemptsOf(h, hook.id)).toEqual([expect.objectContaining({ attempt: 1, outcome: 'sent', detail: 'HTTP 204' })]);
  });

  it("tells a rejection with the reviewer's reason (not the code), HTML-escaped", async () => {
    const change = aReturnStatusChange({
      status: 'rejected',
      previousStatus: 'requested',
      reason: 'REJECTED_BY_REVIEWER: the mug <was> used',
      customer: { id: 'c-r', name: 'Ada & Co', email: `ada-${Date.now()}@example.com` },
    });

    h.probe.publish(ReturnStatusChangedV1, change, { tenantId: `tenant-${Date.now()}-rejected` });

    const mail = await h.smtp!.waitForMail((m) => m.to.includes(change.customer.email));
    expect(mail.subject).toBe(`We could not accept your return request ${change.rmaNumber}`);
    expect(mail.text).toContain(`we could not accept your return request ${change.rmaNumber} for order ${change.externalId}.`);
    expect(mail.text).toContain('Reason: the mug <was> used');
    expect(mail.text).not.toContain('REJECTED_BY_REVIEWER');
    expect(mail.html).toContain('<p>Reason: the mug &lt;was&gt; used</p>');
    expect(mail.html).toContain('Hello Ada &amp; Co,');
    const rows = await settledDeliveries(h, change.orderId, 1);
    expect(rows.map((row) => [row.channel, row.target, row.status])).toEqual([['email', change.customer.email, 'sent']]);
  });

  it('tells a cancellation and an exchange to the customer', async () => {
    const cancelled = aReturnStatusChange({ status: 'cancelled', previousStatus: 'approved', reason: 'CANCELLED by shop-7: ordered the wrong size' });
    const exchanged = aReturnStatusChange({ status: 'exchanged', previousStatus: 'inspected' });
    const tenantId = `tenant-${Date.now()}-outcomes`;

    h.probe.publish(ReturnStatusChangedV1, cancelled, { tenantId });
    h.probe.publish(ReturnStatusChangedV1, exchanged, { tenantId });

    const cancellation = await h.smtp!.waitForMail((m) => m.to.includes(cancelled.customer.email));
    expect(cancellation.subject).toBe(`Your return ${cancelled.rmaNumber} has been cancelled`);
    expect(cancellation.text).toContain('Reason: ordered the wrong size');
    expect(cancellation.text).not.toContain('shop-7');
    const exchange = await h.smtp!.waitForMail((m) => m.to.includes(exchanged.customer.email));
    expect(exchange.subject).toBe(`A replacement for your return ${exchanged.rmaNumber} is on its way`);
    expect(exchange.text).toContain(`A replacement for the items of your return ${exchanged.rmaNumber} (order ${exchanged.externalId}) is on its way to you.`);
  });

  it("sends return.<status> webhooks to the platform's subscriptions of that status only, never to another platform's", async () => {
    const tenantId = `tenant-${Date.now()}-statuses`;
    const perStatus = new Map<ReturnStatus, TestWebhookReceiver>();
    for (const status of RETURN_STATUSES) {
      const { receiver, url } = await aReceiver();
      await subscribe(h, aSubscription({ tenantId, url, events: [`return.${status}`], secret: receiver.secret }));
      perStatus.set(status, receiver);
    }
    // A bare status is an order event (`approved` = `order.approved`); order events are not return events.
    const orderEvents = await aReceiver();
    await subscribe(h, aSubscription({ tenantId, url: orderEvents.url, events: ['approved', 'order.cancelled', 'refund_requested'], secret: orderEvents.receiver.secret }));
    const otherPlatform = await aReceiver();
    const elsewhere = aSubscription({ url: otherPlatform.url, events: ['*', ...RETURN_STATUSES.map((status) => `return.${status}`)], secret: otherPlatform.receiver.secret });
    await subscribe(h, elsewhere);
    const base = aReturnStatusChange();

    for (const status of RETURN_STATUSES) {
      h.probe.publish(ReturnStatusChangedV1, { ...base, status, previousStatus: null }, { tenantId });
    }

    for (const status of RETURN_STATUSES) {
      const webhook = await perStatus.get(status)!.waitForDelivery();
      expect(webhook.payload).toEqual({
        type: `return.${status}`,
        timestamp: new Date(base.changedAt).toISOString(),
        data: {
          returnId: base.returnId,
          rmaNumber: base.rmaNumber,
          orderId: base.orderId,
          externalId: base.externalId,
          status,
          previousStatus: null,
          reason: null,
          refund: null,
        },
      });
    }
    // 9 webhooks and an e-mail for each status but inspected and closed.
    const rows = await settledDeliveries(h, base.orderId, RETURN_STATUSES.length + RETURN_STATUSES.length - 2);
    expect(rows.filter((row) => row.channel === 'webhook').every((row) => row.tenant_id === tenantId)).toBe(true);
    for (const receiver of perStatus.values()) {
      expect(receiver.requests).toHaveLength(1);
      expect(receiver.rejected).toEqual([]);
    }
    expect(orderEvents.receiver.requests).toHaveLength(0);
    expect(otherPlatform.receiver.requests).toHaveLength(0);
    expect(rows.some((row) => row.target === elsewhere.subscriptionId)).toBe(false);
  });

  it('instructs the platform to refund a return by a signed return.refund_requested webhook, with its graded lines', async () => {
    const tenantId = `tenant-${Date.now()}-return-refund`;
    const all = await aReceiver();
    const refunds = await aReceiver();
    const orderRefunds = await aReceiver();
    const otherPlatform = await aReceiver();
    const toAll = aSubscription({ tenantId, url: all.url, events: ['*'], secret: all.receiver.secret });
    const toRefunds = aSubscription({ tenantId, url: refunds.url, events: ['return.refunded', 'return.refund_requested'], secret: refunds.receiver.secret });
    // The order's refund instruction, bare or prefixed, is another event.
    const toOrderRefunds = aSubscription({ tenantId, url: orderRefunds.url, events: ['order.refund_requested', 'refund_requested'], secret: orderRefunds.receiver.secret });
    const elsewhere = aSubscription({ url: otherPlatform.url, events: ['*'], secret: otherPlatform.receiver.secret });
    for (const subscription of [toAll, toRefunds, toOrderRefunds, elsewhere]) await subscribe(h, subscription);
    const refund = aReturnRefundRequested();

    const envelope = h.probe.publish(ReturnRefundRequestedV1, refund, { tenantId, correlationId: refund.returnId });

    const expected = {
      type: 'return.refund_requested',
      timestamp: new Date(envelope.occurredAt).toISOString(),
      data: {
        refundId: refund.refundId,
        returnId: refund.returnId,
        rmaNumber: refund.rmaNumber,
        orderId: refund.orderId,
        externalId: refund.externalId,
        amount: '47.50',
        currency: 'EUR',
        lines: refund.lines,
      },
    };
    for (const { receiver } of [all, refunds]) {
      expect((await receiver.waitForDelivery()).payload).toEqual(expected);
      expect(receiver.rejected).toEqual([]);
    }
    const rows = await settledDeliveries(h, refund.orderId, 2);
    expect(rows.map((row) => [row.channel, row.status])).toEqual([
      ['webhook', 'sent'],
      ['webhook', 'sent'],
    ]);
    expect(rows.map((row) => row.target).sort()).toEqual([toAll.subscriptionId, toRefunds.subscriptionId].sort());
    expect(rows.every((row) => row.source_message_id === envelope.id)).toBe(true);
    expect(orderRefunds.receiver.requests).toHaveLength(0);
    expect(otherPlatform.receiver.requests).toHaveLength(0);
  });

  it('notifies once when a return event arrives twice, and even when it gets past the inbox again', async () => {
    const { receiver, url } = await aReceiver();
    const subscription = aSubscription({ url, events: ['return.approved', 'return.refund_requested'], secret: receiver.secret });
    await subscribe(h, subscription);
    const change = aReturnStatusChange({ status: 'approved', previousStatus: 'requested' });
    const refund = aReturnRefundRequested({ returnId: change.returnId, orderId: change.orderId, rmaNumber: change.rmaNumber });
    const statusDuplicates = await duplicateCount(h, ReturnStatusChangedV1);
    const refundDuplicates = await duplicateCount(h, ReturnRefundRequestedV1);
    const meta = { tenantId: subscription.tenantId, correlationId: change.returnId };

    const status = h.probe.publish(ReturnStatusChangedV1, change, meta);
    h.probe.publish(ReturnStatusChangedV1, change, { ...meta, id: status.id });
    const instruction = h.probe.publish(ReturnRefundRequestedV1, refund, meta);
    h.probe.publish(ReturnRefundRequestedV1, refund, { ...meta, id: instruction.id });
    await waitFor('the duplicates absorbed by the inbox', async () =>
      (await duplicateCount(h, ReturnStatusChangedV1)) === statusDuplicates + 1 && (await duplicateCount(h, ReturnRefundRequestedV1)) === refundDuplicates + 1,
    );
    await settledDeliveries(h, change.orderId, 3);

    // As if the inbox records were gone (pruned, or a replay from the dead-letter queue): the handlers run again, for real.
    await h.service.dataSource.query(`DELETE FROM inbox_message WHERE message_id = ANY($1)`, [[status.id, instruction.id]]);
    h.probe.publish(ReturnStatusChangedV1, change, { ...meta, id: status.id });
    h.probe.publish(ReturnRefundRequestedV1, refund, { ...meta, id: instruction.id });
    await waitFor('the replayed messages handled', async () => {
      const rows: unknown[] = await h.service.dataSource.query(`SELECT 1 FROM inbox_message WHERE message_id = ANY($1)`, [[status.id, instruction.id]]);
      return rows.length === 2;
    });

    const rows = await deliveriesOfOrder(h, change.orderId);
    expect(rows.map((row) => `${row.channel} ${row.source_message_id} ${row.status} ${row.attempts}`).sort()).toEqual(
      [`email ${status.id} sent 1`, `webhook ${status.id} sent 1`, `webhook ${instruction.id} sent 1`].sort(),
    );
    expect(h.smtp!.mailsTo(change.customer.email)).toHaveLength(1);
    expect(receiver.requests.map((request) => typeOf(JSON.parse(request.rawBody))).sort()).toEqual(['return.approved', 'return.refund_requested']);
  });

  it('dead-letters a return event with an invalid payload, with the reason, and plans nothing', async () => {
    const { receiver, url } = await aReceiver();
    const subscription = aSubscription({ url, events: ['*'], secret: receiver.secret });
    await subscribe(h, subscription);
    const change = aReturnStatusChange();
    const refund = aReturnRefundRequested({ orderId: change.orderId });

    const badStatus = h.probe.publish(ReturnStatusChangedV1, { ...change, status: 'teleported' as ReturnStatus }, { tenantId: subscription.tenantId });
    const noRma = h.probe.publish(ReturnStatusChangedV1, { ...change, rmaNumber: '' }, { tenantId: subscription.tenantId });
    const commaAmount = h.probe.publish(ReturnRefundRequestedV1, { ...refund, amount: '47,50' }, { tenantId: subscription.tenantId });

    expect(await h.deadLettered(badStatus)).toMatchObject({ reason: 'INVALID_PAYLOAD', detail: expect.stringContaining('status') });
    expect(await h.deadLettered(noRma)).toMatchObject({ reason: 'INVALID_PAYLOAD', detail: expect.stringContaining('rmaNumber') });
    expect(await h.deadLettered(commaAmount)).toMatchObject({ reason: 'INVALID_PAYLOAD', detail: expect.stringContaining('amount') });
    expect(await deliveriesOfOrder(h, change.orderId)).toEqual([]);
    expect(receiver.requests).toHaveLength(0);
  });
});
