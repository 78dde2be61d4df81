import { randomUUID } from 'node:crypto';
import { TestSmsProvider, TestSmtpServer, TestWebhookReceiver, waitFor } from '@skald/testing';
import { createPlatform, createStaffKey, type GatewayClient } from '../../support/gateway-client.js';
import { catalogReachedOrders } from '../../support/replicas.js';
import { suite } from '../../support/suite-state.mjs';

const HAPPY_PATH = ['received', 'approved', 'reserved', 'released', 'picking', 'packed', 'shipped', 'delivered'];

describe('the order saga end to end, through the gateway (six services, real PostgreSQL and RabbitMQ)', () => {
  const smtp = new TestSmtpServer();
  const sms = new TestSmsProvider();
  const webhooks = new TestWebhookReceiver();
  let shop: GatewayClient;
  let staff: GatewayClient;
  let operator: GatewayClient;
  const run = randomUUID().slice(0, 6).toUpperCase();

  beforeAll(async () => {
    await smtp.start(suite().ports.smtp);
    await sms.start(suite().ports.sms);
    await webhooks.start();
    shop = (await createPlatform(`Shop ${run}`)).client;
    staff = await createStaffKey(['inventory', 'reviewer', 'ops']);
    operator = await createStaffKey(['warehouse']);
    const subscription = await shop.expect(201, shop.post('/v1/webhooks', { url: webhooks.address().url, events: ['*'] }));
    webhooks.useSecret(subscription.secret);
  });

  afterAll(async () => {
    await Promise.all([smtp.stop(), sms.stop(), webhooks.stop()]);
  });

  const stock = async (sku: string) =>
    ((await staff.expect(200, staff.get(`/v1/stock/${sku}`))).warehouses as Array<{ warehouse: string; onHand: number; reserved: number; available: number }>).map(
      ({ warehouse, onHand, reserved, available }) => ({ warehouse, onHand, reserved, available }),
    );
  const ledger = async (sku: string) =>
    ((await staff.expect(200, staff.get(`/v1/stock/${sku}/ledger?limit=200`))).items as Array<{ warehouse: string; kind: string; onHandDelta: number; reservedDelta: number }>).map(
      (e) => `${e.warehouse} ${e.kind} ${e.onHandDelta}/${e.reservedDelta}`,
    );
  const order = (id: string) => shop.expect(200, shop.get(`/v1/orders/${id}`));
  const reaches = (id: string, status: string) =>
    waitFor(`order ${id} ${status}`, async () => {
      const current = await order(id);
      return current.status === status ? current : undefined;
    }, 30_000);

  it('takes an order split over two warehouses from placement to delivery, telling the customer and the platform at each step', async () => {
    const [wh1, wh2] = ['WH-E2E-1', `WH-E2E-2-${run}`];
    await staff.expect(200, staff.put(`/v1/warehouses/${wh1}`, { priority: 1, name: 'North' }));
    await staff.expect(200, staff.put(`/v1/warehouses/${wh2}`, { priority: 2, name: 'South' }));
    const [mug, plate] = [`MUG-${run}`, `PLATE-${run}`];
    await staff.expect(200, staff.put(`/v1/catalog/${mug}`, { name: 'Mug', listPrice: 12.5, currency: 'EUR', sellable: true, returnable: true }));
    await staff.expect(200, staff.put(`/v1/catalog/${plate}`, { name: 'Plate', listPrice: 8, currency: 'EUR', sellable: true, returnable: true }));
    await staff.expect(201, staff.post('/v1/stock/receipts', { warehouse: wh1, lines: [{ sku: mug, quantity: 2 }] }));
    await staff.expect(201, staff.post('/v1/stock/receipts', { warehouse: wh2, lines: [{ sku: mug, quantity: 5 }, { sku: plate, quantity: 3 }] }));
    await catalogReachedOrders([mug, plate]);

    const customer = { id: `C-${run}`, name: 'Ann Example', email: `ann-${run.toLowerCase()}@example.test`, phone: '+32470000001' };
    const placed = await shop.expect(202, shop.post('/v1/orders', {
      externalId: `SHOP-${run}`,
      channel: 'web',
      customer,
      lines: [{ sku: mug, quantity: 3, unitPrice: 12.5 }, { sku: plate, quantity: 1, unitPrice: 8 }],
      currency: 'EUR',
      shippingAddress: { line1: 'Kouter 1', city: 'Ghent', postalCode: '9000', country: 'BE' },
      payment: { method: 'card', status: 'paid', amount: 45.5 },
      requestedDeliveryDate: '2026-12-20',
    }));
    expect(placed).toMatchObject({ status: 'received' });
    const id: string = placed.id;

    // Reserved across warehouses by priority: 2 mugs from the first, 1 mug and the plate from the second.
    const released = await reaches(id, 'released');
    expect(released.reservations.map((r: { warehouse: string; sku: string; quantity: number }) => `${r.warehouse} ${r.sku} ${r.quantity}`).sort()).toEqual(
      [`${wh1} ${mug} 2`, `${wh2} ${mug} 1`, `${wh2} ${plate} 1`].sort(),
    );
    expect(await stock(mug)).toEqual([
      { warehouse: wh1, onHand: 2, reserved: 2, available: 0 },
      { warehouse: wh2, onHand: 5, reserved: 1, available: 4 },
    ]);
    expect(await ledger(mug)).toEqual([`${wh1} receipt 2/0`, `${wh2} receipt 5/0`, `${wh1} reserve 0/2`, `${wh2} reserve 0/1`]);

    const notes = (await operator.expect(200, operator.get(`/v1/outbound-notes?orderId=${id}`))).items as Array<{ id: string; warehouse: string; status: string }>;
    expect(notes.map((n) => `${n.warehouse} ${n.status}`).sort()).toEqual([`${wh1} created`, `${wh2} created`].sort());
    const warehouseMail = await smtp.waitForMail((m) => m.to.includes('wh1@warehouse.test'));
    expect(warehouseMail.text).toContain(`SHOP-${run}`);

    for (const note of notes) await operator.expect(200, operator.post(`/v1/outbound-notes/${note.id}/confirm`));
    await operator.expect(200, operator.post(`/v1/outbound-notes/${notes[0].id}/pick`));
    await reaches(id, 'picking');
    await operator.expect(200, operator.post(`/v1/outbound-notes/${notes[1].id}/pick`));
    for (const note of notes) await operator.expect(200, operator.post(`/v1/outbound-notes/${note.id}/pack`));
    await reaches(id, 'packed');
    const shipments: string[] = [];
    for (const [i, note] of notes.entries()) {
      const shipped = await operator.expect(200, operator.post(`/v1/outbound-notes/${note.id}/ship`, { carrier: 'bpost', trackingNumber: `TRK-${run}-${i}` }));
      shipments.push(shipped.shipment.id);
    }
    const shipped = await reaches(id, 'shipped');
    expect(shipped.shipments.map((s: { carrier: string; trackingNumber: string }) => `${s.carrier} ${s.trackingNumber}`).sort()).toEqual([`bpost TRK-${run}-0`, `bpost TRK-${run}-1`]);
    // One naming everywhere (ADR 16): a part's own id is `id`, the same one its own route and list use;
    // a reference is `<kind>Id`. The order view's notes are the listed notes, its shipments the shipped ones.
    expect(shipped.outboundNotes.map((n: { id: string }) => n.id).sort()).toEqual(notes.map((n) => n.id).sort());
    expect(shipped.shipments.map((s: { id: string; noteId: string }) => `${s.id} ${s.noteId}`).sort()).toEqual(
      shipments.map((shipmentId, i) => `${shipmentId} ${notes[i].id}`).sort(),
    );
    expect(shipped.reservations.every((r: { id?: string; reservationId?: string }) => typeof r.id === 'string' && r.reservationId === undefined)).toBe(true);
    expect(shipped.shippingAddress).toMatchObject({ name: customer.name, phone: customer.phone, company: null });

    // Shipping consumed the reservations and the stock.
    await waitFor('stock consumed', async () => (await stock(mug)).every((w) => w.reserved === 0));
    expect(await stock(mug)).toEqual([
      { warehouse: wh1, onHand: 0, reserved: 0, available: 0 },
      { warehouse: wh2, onHand: 4, reserved: 0, available: 4 },
    ]);
    expect(await stock(plate)).toEqual([{ warehouse: wh2, onHand: 2, reserved: 0, available: 2 }]);
    expect((await ledger(mug)).slice(4).sort()).toEqual([`${wh1} ship -2/-2`, `${wh2} ship -1/-1`]);

    for (const shipmentId of shipments) await operator.expect(200, operator.post(`/v1/shipments/${shipmentId}/delivered`, {}));
    const delivered = await reaches(id, 'delivered');
    expect(delivered.statusHistory.map((h: { status: string }) => h.status)).toEqual(HAPPY_PATH);
    const times = delivered.statusHistory.map((h: { at: string }) => Date.parse(h.at));
    expect(times).toEqual([...times].sort((a, b) => a - b));

    // The customer got an e-mail for every status, SMS for shipped and delivered; the platform a signed webhook each time.
    await waitFor('an e-mail per status', () => smtp.mailsTo(customer.email).length >= HAPPY_PATH.length, 30_000);
    const mails = smtp.mailsTo(customer.email);
    expect(mails).toHaveLength(HAPPY_PATH.length);
    expect(mails.find((m) => m.text.includes(`TRK-${run}-0`))).toBeDefined();
    await waitFor('SMS for shipped and delivered', () => sms.messages.filter((m) => m.to === customer.phone).length >= 2, 30_000);
    expect(sms.messages.filter((m) => m.to === customer.phone)).toHaveLength(2);
    const ours = () => webhooks.deliveries.map((w) => w.payload as { type: string; data: { orderId: string } }).filter((p) => p.data.orderId === id);
    await waitFor('a webhook per status', () => ours().length >= HAPPY_PATH.length, 30_000);
    const types = ours().map((p) => p.type);
    expect(new Set(types)).toEqual(new Set(HAPPY_PATH.map((s) => `order.${s}`)));
    expect(types).toHaveLength(HAPPY_PATH.length);
    expect(webhooks.rejected).toEqual([]);
  });
});
