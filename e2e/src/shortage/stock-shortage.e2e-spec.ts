import { LowStockAlertV1 } from '@skald/contracts';
import { TestSmsProvider, TestSmtpServer, TestWebhookReceiver, waitFor } from '@skald/testing';
import { createPlatform, createStaffKey } from '../../support/gateway-client.js';
import { suite } from '../../support/suite-state.mjs';
import { queryService, Trading } from '../../support/trading.js';

type Webhook = { type: string; data: Record<string, any> };

/**
 * Stock shortage through the gateway, one test per policy: reject, backorder (first come, first
 * served on receipts; cancelled at its deadline), partial (the rest backordered or cancelled),
 * low-stock alerts, and a reservation that expires because its warehouse never confirms.
 */
describe('stock shortage: reject, backorder, partial, low stock, reservation expiry (six services, real PostgreSQL and RabbitMQ)', () => {
  const smtp = new TestSmtpServer();
  const sms = new TestSmsProvider();
  const webhooks = new TestWebhookReceiver();
  let t: Trading;
  let wh: string;

  const hooks = (orderId: string): Webhook[] => webhooks.deliveries.map((w) => w.payload as Webhook).filter((p) => p.data.orderId === orderId);
  const hook = (orderId: string, type: string) => waitFor(`${type} webhook for ${orderId}`, () => hooks(orderId).find((h) => h.type === type), 30_000);
  const mailTo = (email: string, subject: RegExp) => smtp.waitForMail((m) => m.to.includes(email) && subject.test(m.subject));

  /** Ids of the low-stock events inventory has written for a SKU (its outbox keeps sent rows for days). */
  async function lowStockAlertsPublished(sku: string): Promise<string[]> {
    const rows = await queryService<{ id: string }>(
      'inventory',
      `SELECT id FROM outbox_message WHERE routing_key = $1 AND envelope -> 'payload' ->> 'sku' = $2`,
      [LowStockAlertV1.routingKey, sku],
    );
    return rows.map((row) => row.id);
  }

  async function handledByNotifications(ids: string[]): Promise<boolean> {
    const rows = await queryService('notifications', `SELECT message_id FROM inbox_message WHERE message_id = ANY($1::uuid[])`, [ids]);
    return rows.length === ids.length;
  }

  beforeAll(async () => {
    await smtp.start(suite().ports.smtp);
    await sms.start(suite().ports.sms);
    await webhooks.start();
    const shop = (await createPlatform('Shortage shop')).client;
    t = new Trading(shop, await createStaffKey(['inventory', 'reviewer', 'ops']), await createStaffKey(['warehouse']));
    const subscription = await shop.expect(201, shop.post('/v1/webhooks', { url: webhooks.address().url, events: ['*'] }));
    webhooks.useSecret(subscription.secret);
    wh = await t.warehouse('WH-SHORT', 1);
  });

  afterAll(async () => {
    await Promise.all([smtp.stop(), sms.stop(), webhooks.stop()]);
  });

  it('reject: a paid order short of stock is cancelled with STOCK_SHORT, nothing reserved, customer and platform told, refund instructed', async () => {
    const sku = await t.sku('REJ', 10);
    await t.receive(wh, [{ sku, quantity: 2 }]);
    const { id, email } = await t.place([{ sku, quantity: 3, unitPrice: 10 }], { paid: true, shortagePolicy: { mode: 'reject' } });

    const cancelled = await t.reaches(id, 'cancelled');
    expect(t.history(cancelled)).toEqual(['received', 'approved', 'cancelled']);
    expect(cancelled.statusHistory.at(-1).reason).toMatch(/^STOCK_SHORT/);
    expect(cancelled.reservations).toEqual([]);
    expect(await t.stock(sku)).toEqual([{ warehouse: wh, onHand: 2, reserved: 0, available: 2 }]);
    expect(await t.ledgerLines(sku)).toEqual([`${wh} receipt 2/0`]);
    expect(await t.notes(id)).toEqual([]);

    await mailTo(email, /cancel/i);
    expect((await hook(id, 'order.cancelled')).data.reason).toMatch(/^STOCK_SHORT/);
    expect((await hook(id, 'order.refund_requested')).data).toMatchObject({ orderId: id, amount: '30', currency: 'EUR', scope: 'order_cancelled' });
  });

  it('backorder: what is there is reserved, the order waits; receipts serve waiting orders first come, first served, then the saga goes on', async () => {
    const sku = await t.sku('BACK', 5);
    await t.receive(wh, [{ sku, quantity: 2 }]);
    const deadline = new Date(Date.now() + 10 * 60_000).toISOString();
    const first = await t.place([{ sku, quantity: 3, unitPrice: 5 }], { shortagePolicy: { mode: 'backorder', backorderDeadline: deadline } });
    const waiting = await t.reaches(first.id, 'backordered');
    expect(waiting.reservations.map((r: any) => r.quantity)).toEqual([2]);
    expect(waiting.saga).toMatchObject({ state: 'backordered', deadlineAt: deadline });
    const second = await t.place([{ sku, quantity: 2, unitPrice: 5 }], { shortagePolicy: { mode: 'backorder', backorderDeadline: deadline } });
    expect((await t.reaches(second.id, 'backordered')).reservations).toEqual([]);
    expect(await t.stock(sku)).toEqual([{ warehouse: wh, onHand: 2, reserved: 2, available: 0 }]);

    // Two units arrive: the first order (older) takes the one it lacks, the second gets the other.
    await t.receive(wh, [{ sku, quantity: 2 }]);
    const released = await t.reaches(first.id, 'released');
    expect(t.history(released)).toEqual(['received', 'approved', 'backordered', 'reserved', 'released']);
    expect((await t.notesOf(first.id, 1)).map((n) => n.lines)).toEqual([[{ sku, quantity: 3 }]]);
    await waitFor('second order holds one unit', async () => (await t.order(second.id)).reservations.length === 1);
    expect((await t.order(second.id)).status).toBe('backordered');
    expect(await t.stock(sku)).toEqual([{ warehouse: wh, onHand: 4, reserved: 4, available: 0 }]);

    // The last unit completes the second order.
    await t.receive(wh, [{ sku, quantity: 1 }]);
    await t.reaches(second.id, 'released');
    expect(await t.stock(sku)).toEqual([{ warehouse: wh, onHand: 5, reserved: 5, available: 0 }]);
    expect(await t.ledgerLines(sku)).toEqual([
      `${wh} receipt 2/0`,
      `${wh} reserve 0/2`,
      `${wh} receipt 2/0`,
      `${wh} reserve 0/1`,
      `${wh} reserve 0/1`,
      `${wh} receipt 1/0`,
      `${wh} reserve 0/1`,
    ]);
    await t.expectStockMatchesLedger(sku);
    await hook(first.id, 'order.backordered');
    await mailTo(first.email, /stock/i);
  });

  it('backorder past its deadline: the order is cancelled and what it held is released (ledger), the paid amount refunded', async () => {
    const sku = await t.sku('LATE', 7);
    await t.receive(wh, [{ sku, quantity: 1 }]);
    const { id } = await t.place([{ sku, quantity: 3, unitPrice: 7 }], {
      paid: true,
      shortagePolicy: { mode: 'backorder', backorderDeadline: new Date(Date.now() + 3_000).toISOString() },
    });
    await t.reaches(id, 'backordered');
    const cancelled = await t.reaches(id, 'cancelled');
    expect(t.history(cancelled)).toEqual(['received', 'approved', 'backordered', 'cancelled']);
    expect(cancelled.statusHistory.at(-1).reason).toMatch(/^BACKORDER_DEADLINE/);
    expect(cancelled.saga).toMatchObject({ state: 'cancelled', deadlineAt: null, cancellation: { code: 'BACKORDER_DEADLINE', notes: 'skipped', stock: 'done' } });
    expect(await t.stock(sku)).toEqual([{ warehouse: wh, onHand: 1, reserved: 0, available: 1 }]);
    expect(await t.ledgerLines(sku)).toEqual([`${wh} receipt 1/0`, `${wh} reserve 0/1`, `${wh} release 0/-1`]);
    expect((await hook(id, 'order.refund_requested')).data).toMatchObject({ amount: '21', scope: 'order_cancelled' });

    // A later receipt no longer serves the cancelled order.
    await t.receive(wh, [{ sku, quantity: 2 }]);
    expect(await t.stock(sku)).toEqual([{ warehouse: wh, onHand: 3, reserved: 0, available: 3 }]);
  });

  it('partial, rest backordered: ships what is there (partially_shipped), then the rest as a second batch when it arrives (shipped)', async () => {
    const sku = await t.sku('PART', 4);
    await t.receive(wh, [{ sku, quantity: 2 }]);
    const { id, email } = await t.place([{ sku, quantity: 5, unitPrice: 4 }], {
      shortagePolicy: { mode: 'partial', partialRemainder: 'backorder', backorderDeadline: new Date(Date.now() + 10 * 60_000).toISOString() },
    });
    await t.reaches(id, 'released');
    const [batch1] = await t.notesOf(id, 1);
    expect(batch1).toMatchObject({ batch: 1, lines: [{ sku, quantity: 2 }] });
    await t.shipAll(batch1.id);
    const partly = await t.reaches(id, 'partially_shipped');
    expect(partly.saga.state).toBe('fulfilling');
    await mailTo(email, /ship/i);
    await hook(id, 'order.partially_shipped');

    await t.receive(wh, [{ sku, quantity: 3 }]);
    const notes = await t.notesOf(id, 2);
    const batch2 = notes.find((n) => n.batch === 2)!;
    expect(batch2.lines).toEqual([{ sku, quantity: 3 }]);
    await t.shipAll(batch2.id);
    const shipped = await t.reaches(id, 'shipped');
    expect(t.history(shipped)).toEqual(['received', 'approved', 'reserved', 'released', 'picking', 'packed', 'partially_shipped', 'shipped']);
    expect(shipped.shipments).toHaveLength(2);
    await waitFor('stock consumed', async () => (await t.stock(sku))[0].reserved === 0);
    expect(await t.stock(sku)).toEqual([{ warehouse: wh, onHand: 0, reserved: 0, available: 0 }]);
    expect(await t.ledgerLines(sku)).toEqual([`${wh} receipt 2/0`, `${wh} reserve 0/2`, `${wh} ship -2/-2`, `${wh} receipt 3/0`, `${wh} reserve 0/3`, `${wh} ship -3/-3`]);
  });

  it('partial, rest cancelled: the rest is cancelled at once (refunded), what was there ships', async () => {
    const sku = await t.sku('PCAN', 6);
    await t.receive(wh, [{ sku, quantity: 2 }]);
    const { id } = await t.place([{ sku, quantity: 5, unitPrice: 6 }], { paid: true, shortagePolicy: { mode: 'partial', partialRemainder: 'cancel' } });
    const released = await t.reaches(id, 'released');
    expect(released.lines).toEqual([{ sku, quantity: 5, unitPrice: '6', cancelledQuantity: 3 }]);
    expect((await hook(id, 'order.refund_requested')).data).toMatchObject({ amount: '18', scope: 'lines_cancelled' });
    const [note] = await t.notesOf(id, 1);
    await t.shipAll(note.id);
    const shipped = await t.reaches(id, 'shipped');
    expect(t.history(shipped)).toEqual(['received', 'approved', 'reserved', 'released', 'picking', 'packed', 'shipped']);
    expect(shipped.statusHistory.find((h: any) => h.status === 'reserved').reason).toMatch(/STOCK_SHORT/);
    await waitFor('stock consumed', async () => (await t.stock(sku))[0].onHand === 0);
    expect(await t.ledgerLines(sku)).toEqual([`${wh} receipt 2/0`, `${wh} reserve 0/2`, `${wh} ship -2/-2`]);
  });

  it('partial whose backordered rest misses its deadline: the rest is cancelled and released, the order ships what it has', async () => {
    const sku = await t.sku('PLATE', 3);
    await t.receive(wh, [{ sku, quantity: 1 }]);
    const { id } = await t.place([{ sku, quantity: 4, unitPrice: 3 }], {
      paid: true,
      shortagePolicy: { mode: 'partial', partialRemainder: 'backorder', backorderDeadline: new Date(Date.now() + 4_000).toISOString() },
    });
    await t.reaches(id, 'released');
    const [note] = await t.notesOf(id, 1);
    await t.shipAll(note.id);
    const shipped = await t.reaches(id, 'shipped');
    expect(shipped.lines).toEqual([{ sku, quantity: 4, unitPrice: '3', cancelledQuantity: 3 }]);
    expect(shipped.statusHistory.at(-1).reason ?? '').toMatch(/BACKORDER_DEADLINE|^$/);
    expect((await hook(id, 'order.refund_requested')).data).toMatchObject({ amount: '9', scope: 'lines_cancelled' });
    // Stock arriving later is not reserved for it.
    await t.receive(wh, [{ sku, quantity: 3 }]);
    await waitFor('stock consumed', async () => (await t.stock(sku))[0].onHand === 3);
    expect(await t.stock(sku)).toEqual([{ warehouse: wh, onHand: 3, reserved: 0, available: 3 }]);
    await t.expectStockMatchesLedger(sku);
  });

  it('low stock: a movement that takes availability below the threshold alerts purchasing once', async () => {
    const sku = await t.sku('LOW', 2);
    await t.receive(wh, [{ sku, quantity: 6 }]);
    await t.staff.expect(200, t.staff.put(`/v1/stock/${sku}/warehouses/${wh}/low-stock-threshold`, { threshold: 5 }));
    const { id } = await t.place([{ sku, quantity: 2, unitPrice: 2 }]);
    await t.reaches(id, 'released');
    const alert = await smtp.waitForMail((m) => m.to.includes('purchasing@skald.test') && m.subject.includes(sku));
    expect(alert.subject).toMatch(/4 available/);
    const second = await t.place([{ sku, quantity: 1, unitPrice: 2 }]);
    await t.reaches(second.id, 'released');
    // Staying below the threshold does not alert again. The second reservation's outbox rows
    // committed before the order could be released, so inventory's outbox already holds any
    // alert it raised; once notifications has handled every one of them, the mails are all in.
    const alerts = await lowStockAlertsPublished(sku);
    expect(alerts).toHaveLength(1);
    await waitFor('notifications handled every alert', () => handledByNotifications(alerts));
    await waitFor('the alert mails sent', () => smtp.messages.filter((m) => m.subject.includes(sku)).length >= alerts.length);
    expect(smtp.messages.filter((m) => m.subject.includes(sku))).toHaveLength(1);
  });

  it('reservation expiry: an order whose warehouse never confirms is cancelled when its reservation expires, its note cancelled, its stock released', async () => {
    const sku = await t.sku('EXP', 1);
    await t.receive(wh, [{ sku, quantity: 2 }]);
    const { id } = await t.place([{ sku, quantity: 2, unitPrice: 1 }]);
    await t.reaches(id, 'released');
    await t.notesOf(id, 1);
    const cancelled = await t.reaches(id, 'cancelled', 60_000);
    expect(cancelled.statusHistory.at(-1).reason).toMatch(/^RESERVATION_EXPIRED/);
    expect(cancelled.saga.cancellation).toMatchObject({ code: 'RESERVATION_EXPIRED', notes: 'done', stock: 'done' });
    expect((await t.notes(id)).map((n) => n.status)).toEqual(['cancelled']);
    expect(await t.stock(sku)).toEqual([{ warehouse: wh, onHand: 2, reserved: 0, available: 2 }]);
    expect(await t.ledgerLines(sku)).toEqual([`${wh} receipt 2/0`, `${wh} reserve 0/2`, `${wh} release 0/-2`]);
  });
});
