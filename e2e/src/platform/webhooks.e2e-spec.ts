import { TestWebhookReceiver, waitFor, type VerifiedWebhook } from '@skald/testing';
import { Webhook } from 'standardwebhooks';
import { createPlatform, createStaffKey, type GatewayClient } from '../../support/gateway-client.js';
import { queryService, Trading } from '../../support/trading.js';

describe('webhook subscriptions managed through the gateway, honoured by notifications (six services)', () => {
  const receiver = new TestWebhookReceiver();
  let shop: GatewayClient;
  let tenantId: string;
  let trading: Trading;

  beforeAll(async () => {
    await receiver.start();
    ({ client: shop, tenantId } = await createPlatform(`Hooks ${Date.now()}`));
    trading = new Trading(shop, await createStaffKey(['inventory', 'reviewer', 'ops']), await createStaffKey(['warehouse']));
  });

  afterAll(async () => {
    await receiver.stop();
  });

  const subscriptionRow = async (id: string) =>
    (await queryService<{ rotated: boolean }>('notifications', `SELECT previous_encrypted_secret IS NOT NULL AS rotated FROM webhook_subscription WHERE id = $1`, [id]))[0];
  const webhookOf = (orderId: string) =>
    receiver.waitForDelivery((webhook) => (webhook.payload as { data: { orderId: string } }).data.orderId === orderId, 30_000);
  const signatureHeaders = (webhook: VerifiedWebhook) => ({
    'webhook-id': String(webhook.headers['webhook-id']),
    'webhook-timestamp': String(webhook.headers['webhook-timestamp']),
    'webhook-signature': String(webhook.headers['webhook-signature']),
  });

  it('lists without secrets, rotates (both secrets sign meanwhile), and deletes (nothing more is sent)', async () => {
    const sku = await trading.sku('HOOK');
    const created = await shop.expect(201, shop.post('/v1/webhooks', { url: receiver.address().url, events: ['order.received'] }));
    const listed = await shop.expect(200, shop.get('/v1/webhooks'));
    expect(listed).toEqual({ items: [{ id: created.id, url: receiver.address().url, events: ['order.received'], createdAt: expect.any(String) }] });
    await waitFor('notifications to know the subscription', () => subscriptionRow(created.id));

    const rotated = await shop.expect(200, shop.post(`/v1/webhooks/${created.id}/rotate-secret`));
    expect(rotated.secret).not.toBe(created.secret);
    await waitFor('notifications to take the rotation', async () => (await subscriptionRow(created.id))?.rotated === true);
    receiver.useSecret(rotated.secret);
    const first = await trading.place([{ sku, quantity: 1, unitPrice: 10 }]);

    const signed = await webhookOf(first.id);
    expect(String(signed.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(new Webhook(created.secret).verify(signed.rawBody, signatureHeaders(signed))).toEqual(signed.payload);
    // Operators see what was sent, and how, through the gateway (ADR 6); the receiver deduplicates on its id.
    const sent = await waitFor('the webhook delivery recorded as sent', async () => {
      const page = await trading.staff.expect(200, trading.staff.get(`/v1/deliveries?orderId=${first.id}&channel=webhook`));
      return page.items.find((delivery: { status: string }) => delivery.status === 'sent');
    });
    expect(sent).toMatchObject({ id: String(signed.headers['webhook-id']), target: created.id, tenantId, attemptCount: 1 });
    expect(sent.attempts).toEqual([expect.objectContaining({ attempt: 1, outcome: 'sent' })]);
    expect((await shop.call('GET', `/v1/deliveries?orderId=${first.id}`)).status).toBe(403);

    expect((await shop.call('DELETE', `/v1/webhooks/${created.id}`)).status).toBe(204);
    expect(await shop.expect(200, shop.get('/v1/webhooks'))).toEqual({ items: [] });
    await waitFor('notifications to forget the subscription', async () => (await subscriptionRow(created.id)) === undefined);
    const second = await trading.place([{ sku, quantity: 1, unitPrice: 10 }]);
    // The customer's e-mail is planned in the same transaction as a webhook would be.
    const planned = await waitFor('the second order notified', async () => {
      const rows = await queryService<{ channel: string }>('notifications', `SELECT channel FROM delivery WHERE order_id = $1`, [second.id]);
      return rows.length > 0 ? rows : undefined;
    }, 30_000);
    expect(planned.map((row) => row.channel)).not.toContain('webhook');
    expect(receiver.rejected).toEqual([]);
  });
});
