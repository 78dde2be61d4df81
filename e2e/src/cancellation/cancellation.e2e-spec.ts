import { TestSmtpServer, TestWebhookReceiver, waitFor } from '@skald/testing';
import { createPlatform, createStaffKey } from '../../support/gateway-client.js';
import { suite } from '../../support/suite-state.mjs';
import { queryService, Trading } from '../../support/trading.js';

type Webhook = { type: string; data: Record<string, any> };

/**
 * `POST /v1/orders/{id}/cancel` at every stage until shipment, through the gateway: compensation
 * runs in reverse order (notes, stock, refund), the customer and platform are told; after shipment
 * the answer is 409 ORDER_SHIPPED.
 */
describe('cancellation at every stage, with compensation (six services, real PostgreSQL and RabbitMQ)', () => {
  const smtp = new TestSmtpServer();
  // One receiver per platform: each checks its own subscription's signatures.
  const receivers = [new TestWebhookReceiver(), new TestWebhookReceiver()];
  let t: Trading;
  let held: Trading;
  let wh: string;

  const hooks = (orderId: string): Webhook[] =>
    receivers.flatMap((r) => r.deliveries).map((w) => w.payload as Webhook).filter((p) => p.data.orderId === orderId);
  const hook = (orderId: string, type: string) => waitFor(`${type} webhook for ${orderId}`, () => hooks(orderId).find((h) => h.type === type), 30_000);

  beforeAll(async () => {
    await smtp.start(suite().ports.smtp);
    for (const receiver of receivers) await receiver.start();
    const staff = await createStaffKey(['inventory', 'reviewer', 'ops']);
    const operator = await createStaffKey(['warehouse']);
    const shop = (await createPlatform('Cancelling shop')).client;
    t = new Trading(shop, staff, operator);
    // A platform whose orders above 1 EUR wait for a reviewer.
    held = new Trading((await createPlatform('Careful shop', { reviewThreshold: 1 })).client, staff, operator);
    for (const [i, client] of [shop, held.shop].entries()) {
      const subscription = await client.expect(201, client.post('/v1/webhooks', { url: receivers[i].address().url, events: ['*'] }));
      receivers[i].useSecret(subscription.secret);
    }
    wh = await t.warehouse('WH-CAN', 1);
  });

  afterAll(async () => {
    await Promise.all([smtp.stop(), ...receivers.map((r) => r.stop())]);
    expect(receivers.flatMap((r) => r.rejected)).toEqual([]);
  });

  /** Cancels and waits for the end of compensation; returns the order. */
  async function cancelled(trading: Trading, id: string, expectedNow: 'cancelled' | 'compensating') {
    const answer = await trading.shop.expect(202, trading.cancel(id, 'customer changed their mind'));
    expect(answer).toMatchObject({ id, cancellation: expectedNow });
    const order = await trading.reaches(id, 'cancelled');
    expect(order.statusHistory.at(-1).reason).toBe('CANCELLED: customer changed their mind');
    expect(order.saga).toMatchObject({ state: 'cancelled', deadlineAt: null, stuck: false });
    return order;
  }

  async function steps(orderId: string): Promise<string[]> {
    const rows = await queryService<{ reason: string }>('orders', `SELECT reason FROM saga_step WHERE saga_id = $1 AND kind = 'compensation' ORDER BY id`, [orderId]);
    return rows.map((r) => r.reason);
  }

  it('on hold: cancelled at once (nothing to undo), the paid amount refunded, customer and platform told', async () => {
    const sku = await held.sku('HOLD', 20);
    await held.receive(wh, [{ sku, quantity: 5 }]);
    const { id, email } = await held.place([{ sku, quantity: 2, unitPrice: 20 }], { paid: true });
    await held.reaches(id, 'on_hold');
    const order = await cancelled(held, id, 'cancelled');
    expect(held.history(order)).toEqual(['received', 'on_hold', 'cancelled']);
    expect(order.saga.cancellation).toMatchObject({ notes: 'skipped', stock: 'skipped' });
    expect(await held.ledgerLines(sku)).toEqual([`${wh} receipt 5/0`]);
    expect((await hook(id, 'order.refund_requested')).data).toMatchObject({ amount: '40', currency: 'EUR', scope: 'order_cancelled', refundId: `${id}:cancelled` });
    await hook(id, 'order.cancelled');
    await smtp.waitForMail((m) => m.to.includes(email) && /cancel/i.test(m.subject));
    // Not waiting for review any more.
    const queue = (await held.staff.expect(200, held.staff.get('/v1/reviews'))).items as Array<{ id: string }>;
    expect(queue.map((q) => q.id)).not.toContain(id);
  });

  it.each([
    ['released', [] as const, false],
    ['picking', ['confirm', 'pick'] as const, true],
    ['packed', ['confirm', 'pick', 'pack'] as const, true],
  ])('%s: the note is cancelled (picked goods back to stock), then the reservation released, then refund and status', async (stage, noteSteps, restocked) => {
    const sku = await t.sku(`C${stage.toUpperCase().slice(0, 4)}`, 9);
    await t.receive(wh, [{ sku, quantity: 3 }]);
    const { id, email } = await t.place([{ sku, quantity: 2, unitPrice: 9 }], { paid: true });
    await t.reaches(id, 'released');
    const [note] = await t.notesOf(id, 1);
    for (const step of noteSteps) await t.step(note.id, step);
    await t.reaches(id, stage);

    const order = await cancelled(t, id, 'compensating');
    expect(t.history(order).at(-2)).toBe(stage);
    expect(order.saga.cancellation).toMatchObject({ code: 'CANCELLED', notes: 'done', stock: 'done' });
    const [after] = await t.notes(id);
    expect(after).toMatchObject({ status: 'cancelled', restockRequired: restocked });
    expect(order.reservations.map((r: any) => r.released)).toEqual([true]);
    expect(await t.stock(sku)).toEqual([{ warehouse: wh, onHand: 3, reserved: 0, available: 3 }]);
    expect(await t.ledgerLines(sku)).toEqual([`${wh} receipt 3/0`, `${wh} reserve 0/2`, `${wh} release 0/-2`]);
    // Reverse order of the completed steps: notes first, then stock, then the refund.
    const compensations = await steps(id);
    const notesAt = compensations.findIndex((r) => r?.startsWith('notes cancelled'));
    const stockAt = compensations.findIndex((r) => r?.startsWith('stock released'));
    expect(notesAt).toBeGreaterThan(0);
    expect(stockAt).toBeGreaterThan(notesAt);
    expect((await hook(id, 'order.refund_requested')).data).toMatchObject({ amount: '18', scope: 'order_cancelled' });
    await smtp.waitForMail((m) => m.to.includes(email) && /cancel/i.test(m.subject));
    // The operator can no longer move the note on.
    await t.operator.expect(409, t.operator.post(`/v1/outbound-notes/${note.id}/${stage === 'packed' ? 'ship' : 'pack'}`, stage === 'packed' ? { carrier: 'bpost', trackingNumber: 'T-1' } : undefined));
  });

  it('after shipment: 409 ORDER_SHIPPED (a return is the way), nothing changes', async () => {
    const sku = await t.sku('SHIP', 4);
    await t.receive(wh, [{ sku, quantity: 1 }]);
    const { id } = await t.place([{ sku, quantity: 1, unitPrice: 4 }]);
    await t.reaches(id, 'released');
    const [note] = await t.notesOf(id, 1);
    await t.shipAll(note.id);
    await t.reaches(id, 'shipped');
    const refused = await t.cancel(id);
    expect(refused.status).toBe(409);
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(refused.body).toMatchObject({ code: 'ORDER_SHIPPED' });
    expect((await t.order(id)).status).toBe('shipped');
  });

  it('a cancelled order cannot be cancelled again (409 ORDER_CLOSED); a cancellation under way answers 202 again', async () => {
    const sku = await t.sku('TWICE', 2);
    await t.receive(wh, [{ sku, quantity: 1 }]);
    const { id } = await t.place([{ sku, quantity: 1, unitPrice: 2 }]);
    await t.reaches(id, 'released');
    const [first, second] = await Promise.all([t.cancel(id), t.cancel(id)]);
    expect([first.status, second.status]).toEqual([202, 202]);
    await t.reaches(id, 'cancelled');
    expect((await t.cancel(id)).body).toMatchObject({ code: 'ORDER_CLOSED' });
    expect(await t.ledgerLines(sku)).toEqual([`${wh} receipt 1/0`, `${wh} reserve 0/1`, `${wh} release 0/-1`]);
  });

  it('received or reserved (a step in flight): cancelling right after placing ends consistent whichever step won', async () => {
    const sku = await t.sku('RACE', 1);
    await t.receive(wh, [{ sku, quantity: 20 }]);
    const seen = new Set<string>();
    for (let i = 0; i < 6; i += 1) {
      const { id } = await t.place([{ sku, quantity: 1, unitPrice: 1 }]);
      const answer = await t.shop.expect(202, t.cancel(id));
      seen.add(answer.status);
      const order = await t.reaches(id, 'cancelled');
      expect(order.saga.cancellation.stock).not.toBe('pending');
      for (const note of await t.notes(id)) expect(note.status).toBe('cancelled');
    }
    // Nothing stays reserved and the ledger adds up, whichever way each race went.
    await waitFor('no reservation left', async () => (await t.stock(sku))[0].reserved === 0);
    await t.expectStockMatchesLedger(sku);
    expect([...seen].some((status) => ['received', 'approved', 'reserved'].includes(status))).toBe(true);
  });

  it('a cancellation racing a shipment ends one way or the other: shipped (stock consumed) or cancelled (stock released), never both', async () => {
    const sku = await t.sku('DUEL', 3);
    await t.receive(wh, [{ sku, quantity: 10 }]);
    for (let i = 0; i < 4; i += 1) {
      const { id } = await t.place([{ sku, quantity: 1, unitPrice: 3 }]);
      await t.reaches(id, 'released');
      const [note] = await t.notesOf(id, 1);
      for (const step of ['confirm', 'pick', 'pack'] as const) await t.step(note.id, step);
      await t.reaches(id, 'packed');
      const [ship, cancel] = await Promise.all([
        t.operator.post(`/v1/outbound-notes/${note.id}/ship`, { carrier: 'bpost', trackingNumber: `T-${i}` }),
        t.cancel(id),
      ]);
      // The shipment may even reach the order before the cancellation does: then it is refused outright.
      if (cancel.status === 409) expect({ ship: ship.status, code: cancel.body.code }).toEqual({ ship: 200, code: 'ORDER_SHIPPED' });
      else expect(cancel.status).toBe(202);
      const end = await waitFor(`order ${id} settled`, async () => {
        const order = await t.order(id);
        return ['shipped', 'cancelled'].includes(order.status) && order.saga.state !== 'cancelling' ? order : undefined;
      });
      if (ship.status === 200) {
        expect(end.status).toBe('shipped');
        expect(t.history(end)).not.toContain('cancelled');
      } else {
        expect(ship.status).toBe(409);
        expect(end.status).toBe('cancelled');
      }
    }
    await waitFor('reservations settled', async () => (await t.stock(sku))[0].reserved === 0);
    await t.expectStockMatchesLedger(sku);
  });
});
