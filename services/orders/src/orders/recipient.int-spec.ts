import { randomUUID } from 'node:crypto';
import { CreateOutboundNotesV1, OrderPlacedV1, ReserveStockV1, StockReservedV1 } from '@skald/contracts';
import { asPlatform } from '@skald/testing';
import { aCatalogItem, anOrder, aPlatform } from '../../test/factories.js';
import { OrdersWorld } from '../../test/orders-world.js';

const ADDRESS = { line1: 'Main Street 1', city: 'Ghent', postalCode: '9000', country: 'BE' };

describe('the recipient on a shipping address (real PostgreSQL and RabbitMQ)', () => {
  const world = new OrdersWorld();

  beforeAll(() => world.start([OrderPlacedV1, ReserveStockV1, CreateOutboundNotesV1]));
  afterAll(() => world.stop());

  /** Places the order, answers its reservation, and returns the CreateOutboundNotes the saga sends. */
  async function placeAndReserve(tenantId: string, body: ReturnType<typeof anOrder>) {
    const id = await world.place(tenantId, body);
    const reserve = await world.probe.next(ReserveStockV1, (p) => p.orderId === id);
    const reservations = body.lines.map((line) => ({ reservationId: randomUUID(), warehouse: 'WH-A', sku: line.sku, quantity: line.quantity }));
    world.probe.publish(StockReservedV1, { orderId: id, reservations, attempt: reserve.payload.attempt }, { tenantId, correlationId: id });
    const create = await world.probe.next(CreateOutboundNotesV1, (p) => p.orderId === id);
    return { id, create };
  }

  it('a gift: the address names its own recipient, which the order view shows, OrderPlaced announces and the warehouse gets', async () => {
    const { tenantId } = await world.platform(aPlatform());
    const item = aCatalogItem();
    await world.catalog(item);
    const shippingAddress = { ...ADDRESS, name: 'Bo Giftee', phone: '+32 470 00 00 09', company: 'Acme NV' };

    const { id, create } = await placeAndReserve(tenantId, anOrder([{ sku: item.sku, quantity: 1, unitPrice: 10 }], { shippingAddress }));

    const placed = await world.probe.next(OrderPlacedV1, (p) => p.orderId === id);
    expect(placed.payload.shippingAddress).toMatchObject({ name: 'Bo Giftee', phone: '+32 470 00 00 09', company: 'Acme NV' });
    expect(create.payload).toMatchObject({ recipientName: 'Bo Giftee', recipientPhone: '+32 470 00 00 09', recipientCompany: 'Acme NV' });
    expect(create.payload.shipTo).toEqual({ ...ADDRESS, line2: null, region: null });
    expect((await world.order(tenantId, id)).shippingAddress).toEqual({ ...shippingAddress, line2: null, region: null });
  });

  it("without a recipient: the customer's name and phone, no company", async () => {
    const { tenantId } = await world.platform(aPlatform());
    const item = aCatalogItem();
    await world.catalog(item);

    const { id, create } = await placeAndReserve(tenantId, anOrder([{ sku: item.sku, quantity: 1, unitPrice: 10 }]));

    expect(create.payload).toMatchObject({ recipientName: 'Ann Example', recipientPhone: '+3212345678', recipientCompany: null });
    expect((await world.order(tenantId, id)).shippingAddress).toEqual({ ...ADDRESS, line2: null, region: null, name: 'Ann Example', phone: '+3212345678', company: null });
  });

  it('a changed address before the lock brings its own recipient, or the customer again', async () => {
    // Above the review threshold: the order waits on hold, where it may still change.
    const { tenantId } = await world.platform(aPlatform({ reviewAmountThreshold: '1' }));
    const item = aCatalogItem();
    await world.catalog(item);
    const id = await world.place(tenantId, anOrder([{ sku: item.sku, quantity: 1, unitPrice: 10 }], { shippingAddress: { ...ADDRESS, name: 'Bo Giftee' } }));
    await world.status(tenantId, id, 'on_hold');
    const patch = (body: object) => world.sut.http().patch(`/v1/orders/${id}`).set(asPlatform(tenantId)).send(body);

    expect((await patch({ shippingAddress: { ...ADDRESS, name: 'Cy Neighbour', company: 'Corner Shop' } })).status).toBe(202);
    expect((await world.status(tenantId, id, 'on_hold')).shippingAddress).toMatchObject({ name: 'Cy Neighbour', phone: '+3212345678', company: 'Corner Shop' });

    expect((await patch({ shippingAddress: ADDRESS })).status).toBe(202);
    expect((await world.status(tenantId, id, 'on_hold')).shippingAddress).toMatchObject({ name: 'Ann Example', phone: '+3212345678', company: null });
  });

  it('refuses a malformed recipient with 400 naming each field, and stores nothing', async () => {
    const { tenantId } = await world.platform(aPlatform());
    const shippingAddress = { ...ADDRESS, name: '', phone: 'call me maybe', company: 'x'.repeat(201) };

    const res = await world.sut.http().post('/v1/orders').set(asPlatform(tenantId)).send(anOrder([{ sku: 'ANY-1', quantity: 1, unitPrice: 1 }], { shippingAddress }));

    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(new Set(res.body.errors.map((e: { field: string }) => e.field))).toEqual(new Set(['shippingAddress.name', 'shippingAddress.phone', 'shippingAddress.company']));
    expect(await world.sut.dataSource.query(`SELECT id FROM sales_order WHERE tenant_id = $1`, [tenantId])).toEqual([]);
  });
});
