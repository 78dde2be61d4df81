import { createPlatform, createStaffKey } from '../../support/gateway-client.js';
import { Trading } from '../../support/trading.js';

/** `PATCH /v1/orders/{id}` before the lock re-runs review; after it, 409 ORDER_LOCKED. */
describe('modification before the lock (six services, real PostgreSQL and RabbitMQ)', () => {
  let held: Trading;
  let wh: string;

  beforeAll(async () => {
    const staff = await createStaffKey(['inventory', 'reviewer', 'ops']);
    held = new Trading((await createPlatform('Modifying shop', { reviewThreshold: 50 })).client, staff, await createStaffKey(['warehouse']));
    wh = await held.warehouse('WH-MOD', 1);
  });

  it('an order on hold gets new lines and address, is reviewed again, and goes on; once approved it is locked (409 ORDER_LOCKED)', async () => {
    const [big, small] = [await held.sku('BIG', 30), await held.sku('SMALL', 5)];
    await held.receive(wh, [{ sku: big, quantity: 5 }, { sku: small, quantity: 5 }]);
    const { id } = await held.place([{ sku: big, quantity: 2, unitPrice: 30 }]);
    await held.reaches(id, 'on_hold');

    const address = { line1: 'Veldstraat 2', city: 'Ghent', postalCode: '9000', country: 'BE' };
    const changed = await held.shop.call('PATCH', `/v1/orders/${id}`, { lines: [{ sku: small, quantity: 3, unitPrice: 5 }], shippingAddress: address }, { 'idempotency-key': `mod-${id}` });
    expect(changed.status).toBe(202);
    expect(changed.body).toMatchObject({ id, status: 'received' });

    const released = await held.reaches(id, 'released');
    expect(held.history(released)).toEqual(['received', 'on_hold', 'received', 'approved', 'reserved', 'released']);
    expect(released.statusHistory[2].reason).toMatch(/^MODIFIED by .*: lines, shippingAddress/);
    expect(released.lines).toEqual([{ sku: small, quantity: 3, unitPrice: '5', cancelledQuantity: 0 }]);
    expect(released.totalAmount).toBe('15');
    expect(released.shippingAddress).toMatchObject({ line1: 'Veldstraat 2' });
    expect(released.reservations.map((r: any) => `${r.sku} ${r.quantity}`)).toEqual([`${small} 3`]);
    expect(await held.stock(big)).toEqual([{ warehouse: wh, onHand: 5, reserved: 0, available: 5 }]);

    const locked = await held.shop.call('PATCH', `/v1/orders/${id}`, { lines: [{ sku: small, quantity: 1, unitPrice: 5 }] }, { 'idempotency-key': `mod2-${id}` });
    expect(locked.status).toBe(409);
    expect(locked.body).toMatchObject({ code: 'ORDER_LOCKED', status: 409 });
    expect((await held.order(id)).lines).toEqual(released.lines);
  });

  it('refuses a change with nothing to change or bad lines (400), changing nothing', async () => {
    const sku = await held.sku('ODD', 1);
    const { id } = await held.place([{ sku, quantity: 100, unitPrice: 1 }]);
    await held.reaches(id, 'on_hold');
    for (const body of [{}, { lines: [] }, { lines: [{ sku, quantity: 0, unitPrice: 1 }] }, { shippingAddress: { line1: 'x' } }]) {
      const answer = await held.shop.call('PATCH', `/v1/orders/${id}`, body, { 'idempotency-key': `bad-${Math.random()}` });
      expect({ body, status: answer.status }).toEqual({ body, status: 400 });
      expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    }
    expect(held.history(await held.order(id))).toEqual(['received', 'on_hold']);
  });
});
