import { TestWebhookReceiver, waitFor } from '@skald/testing';
import { createPlatform, createStaffKey, type GatewayClient } from '../../support/gateway-client.js';
import { queryService, Trading } from '../../support/trading.js';

/**
 * Returns through the gateway with all six services: A, B and C graded (stock, quarantine, ledger
 * and refund at the scrap share checked at every step), an exchange whose replacement order is
 * delivered, one whose replacement meets a stock shortage (refunded instead), each policy rule, and
 * the platform's signed return webhooks.
 */
describe('returns: grades, refund, exchange and the policy rules (six services, real PostgreSQL and RabbitMQ)', () => {
  const receiver = new TestWebhookReceiver();
  let t: Trading;
  let admin: GatewayClient;
  let tenantId: string;
  let wh: string;

  beforeAll(async () => {
    await receiver.start();
    const shop = await createPlatform('Exchanging shop');
    tenantId = shop.tenantId;
    admin = await createStaffKey(['admin']);
    t = new Trading(shop.client, await createStaffKey(['inventory', 'ops']), await createStaffKey(['warehouse']));
    wh = await t.warehouse('WH-EXCH', 1);
    const hook = await t.shop.expect(201, t.shop.post('/v1/webhooks', { url: receiver.address().url, events: ['return.refund_requested', 'return.exchanged', 'return.closed'] }));
    receiver.useSecret(hook.secret);
    await waitFor('notifications to know the subscription', async () => (await queryService('notifications', `SELECT 1 FROM webhook_subscription WHERE id = $1`, [hook.id])).length === 1 || undefined);
  });
  afterAll(() => receiver.stop());

  const view = (id: string) => t.shop.expect(200, t.shop.get(`/v1/returns/${id}`));
  const reaches = (id: string, status: string) => waitFor(`return ${id} ${status}`, async () => ((await view(id)).status === status ? view(id) : undefined), 30_000);
  /** The SKU's level in the test's warehouse as GET /v1/stock/{sku} shows it (with `quarantined`). */
  const stockAt = async (sku: string) => ((await t.staff.expect(200, t.staff.get(`/v1/stock/${sku}`))).warehouses as Array<Record<string, unknown>>).find((row) => row.warehouse === wh);
  const ask = (orderId: string, sku: string, quantity: number, resolution: 'refund' | 'exchange', reasonCode = 'DAMAGED') =>
    t.shop.post('/v1/returns', { orderId, lines: [{ sku, quantity, reasonCode }], resolution });
  const webhookOf = (returnId: string, type: string) =>
    receiver.waitForDelivery((w) => (w.payload as { type: string; data: { returnId: string } }).type === type && (w.payload as { data: { returnId: string } }).data.returnId === returnId, 30_000);

  /** Receipt and inspection through the gateway, each waited for. */
  async function receiveAndInspect(id: string, graded: Array<{ sku: string; quantity: number; grade: 'A' | 'B' | 'C' }>): Promise<void> {
    if ((await view(id)).status === 'approved') await t.operator.expect(202, t.operator.post(`/v1/returns/${id}/receive`, {}));
    await reaches(id, 'received');
    await t.operator.expect(202, t.operator.post(`/v1/returns/${id}/inspect`, { lines: graded }));
  }

  it('A back to stock, B quarantined, C written off (each its ledger kind); refund at the order price, C at the scrap share; webhooks', async () => {
    await admin.expect(200, admin.put(`/v1/platforms/${tenantId}/return-policy`, { scrapRefundPercent: 40 }));
    const sku = await t.sku('GRADED', 10);
    const orderId = await t.deliveredOrder(wh, sku, 3, 10);
    expect(await stockAt(sku)).toMatchObject({ onHand: 0, reserved: 0, quarantined: 0, available: 0 });

    const asked = await t.shop.expect(202, ask(orderId, sku, 3, 'refund'));
    await t.operator.expect(202, t.operator.post(`/v1/returns/${asked.id}/receive`, {}));
    // Received is not yet booked: the goods wait at the dock for their grades.
    expect(await reaches(asked.id, 'received')).toMatchObject({ received: [{ sku, quantity: 3 }], refundAmount: null });
    expect(await stockAt(sku)).toMatchObject({ onHand: 0, quarantined: 0, available: 0 });
    await receiveAndInspect(asked.id, [
      { sku, quantity: 1, grade: 'A' },
      { sku, quantity: 1, grade: 'B' },
      { sku, quantity: 1, grade: 'C' },
    ]);
    const closed = await reaches(asked.id, 'closed');
    expect(closed).toMatchObject({ refundAmount: '24', statusReason: 'CLOSED: refund of 24 EUR instructed' });
    expect(await stockAt(sku)).toMatchObject({ onHand: 2, reserved: 0, quarantined: 1, available: 1 });
    const kinds = (await t.ledger(sku)).map((entry) => entry.kind);
    expect(kinds).toEqual(expect.arrayContaining(['return_restocked', 'return_quarantined', 'return_written_off']));
    await t.expectStockMatchesLedger(sku);

    const refund = await webhookOf(asked.id, 'return.refund_requested');
    expect((refund.payload as { data: Record<string, unknown> }).data).toMatchObject({ amount: '24', currency: 'EUR', rmaNumber: asked.rmaNumber, orderId });
    await webhookOf(asked.id, 'return.closed');
  });

  it('exchange: the replacement order (nothing to pay, review skipped) is shipped and delivered, and the return closes', async () => {
    const sku = await t.sku('SWAP', 15);
    const orderId = await t.deliveredOrder(wh, sku, 1, 15);
    const asked = await t.shop.expect(202, ask(orderId, sku, 1, 'exchange', 'WRONG_SIZE'));
    await receiveAndInspect(asked.id, [{ sku, quantity: 1, grade: 'A' }]);

    const exchanged = await reaches(asked.id, 'exchanged');
    const replacementId = exchanged.replacementOrderId as string;
    expect((await webhookOf(asked.id, 'return.exchanged')).payload).toMatchObject({ data: { status: 'exchanged' } });
    const replacement = await t.reaches(replacementId, 'released');
    expect(replacement).toMatchObject({ totalAmount: '0', replacementFor: { returnId: asked.id, rmaNumber: asked.rmaNumber, orderId }, review: { outcome: 'approved' } });
    // The restocked unit (grade A) went to the replacement.
    const [note] = await t.notesOf(replacementId, 1);
    const shipmentId = await t.shipAll(note.id);
    await t.operator.expect(200, t.operator.post(`/v1/shipments/${shipmentId}/delivered`, {}));
    await t.reaches(replacementId, 'delivered');
    expect(await reaches(asked.id, 'closed')).toMatchObject({ statusReason: 'REPLACEMENT_DELIVERED', refundAmount: null });
  });

  it('exchange whose replacement meets a stock shortage: the replacement is cancelled, the goods are refunded instead', async () => {
    const sku = await t.sku('SHORT-SWAP', 20);
    const orderId = await t.deliveredOrder(wh, sku, 2, 20);
    const asked = await t.shop.expect(202, ask(orderId, sku, 2, 'exchange'));
    // Graded B: quarantined, never available — nothing to send as a replacement (the platform's policy: reject).
    await receiveAndInspect(asked.id, [{ sku, quantity: 2, grade: 'B' }]);
    // Exchanged, then closed soon after (the replacement is cancelled at once): the webhook tells of
    // the passing state, which a poll of the return may miss.
    expect((await webhookOf(asked.id, 'return.exchanged')).payload).toMatchObject({ data: { status: 'exchanged' } });
    const exchanged = await waitFor('the replacement order on the return', async () => ((await view(asked.id)).replacementOrderId ? view(asked.id) : undefined));
    const cancelled = await t.reaches(exchanged.replacementOrderId, 'cancelled');
    expect(cancelled.statusHistory.at(-1).reason).toMatch(/^STOCK_SHORT/);
    const closed = await reaches(asked.id, 'closed');
    expect(closed.refundAmount).toBe('40');
    expect((await webhookOf(asked.id, 'return.refund_requested')).payload).toMatchObject({ data: { amount: '40' } });
    expect(await stockAt(sku)).toMatchObject({ onHand: 2, quarantined: 2, available: 0, reserved: 0 });
  });

  it('refuses by each policy rule: window closed, not returnable, beyond what shipped', async () => {
    const sku = await t.sku('RULES', 5);
    const orderId = await t.deliveredOrder(wh, sku, 2, 5);
    await admin.expect(200, admin.put(`/v1/platforms/${tenantId}/return-policy`, { windowDays: 0 }));
    const closedWindow = await ask(orderId, sku, 1, 'refund');
    expect([closedWindow.status, closedWindow.body.code]).toEqual([422, 'RETURN_WINDOW_CLOSED']);
    await admin.expect(200, admin.put(`/v1/platforms/${tenantId}/return-policy`, {}));

    expect((await ask(orderId, sku, 3, 'refund')).body).toMatchObject({ status: 422, code: 'RETURN_QUANTITY_EXCEEDED' });
    await t.staff.expect(200, t.staff.put(`/v1/catalog/${sku}`, { name: 'RULES', listPrice: 5, currency: 'EUR', sellable: true, returnable: false }));
    const sealed = await waitFor('returns to learn the SKU is not returnable', async () => {
      const reply = await ask(orderId, sku, 1, 'refund');
      return reply.status === 422 && reply.body.code === 'SKU_NOT_RETURNABLE' ? reply : undefined;
    }, 30_000);
    expect(sealed.body.skus).toEqual([sku]);
    expect((await t.shop.expect(200, t.shop.get(`/v1/returns?orderId=${orderId}`))).items).toEqual([]);
  });
});
