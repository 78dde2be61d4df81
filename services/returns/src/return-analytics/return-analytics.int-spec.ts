import { anIdempotencyKey, asPlatform, asStaff } from '@skald/testing';
import { randomUUID } from 'node:crypto';
import { ReturnsWorld } from '../../test/returns-world.js';

describe('return analytics (real PostgreSQL)', () => {
  const world = new ReturnsWorld();
  beforeAll(() => world.start());
  afterAll(() => world.stop());

  const figures = (query: string) => world.sut.http().get(`/v1/analytics/returns?${query}`).set(asStaff(['ops']));

  it('counts returned and shipped units, the return rate and returns by reason, SKU and channel (refused returns not counted)', async () => {
    const tenantId = `shop-${randomUUID().slice(0, 8)}`;
    await world.sut.http().put(`/v1/platforms/${tenantId}/return-policy`).set(asStaff(['admin'])).set(anIdempotencyKey()).send({ reviewReasons: ['WRONG_ITEM'] });
    const web = await world.deliveredOrder(tenantId, [{ sku: 'MUG', quantity: 10, unitPrice: '5' }, { sku: 'TV', quantity: 2, unitPrice: '300' }], 2, 'web');
    const app = await world.deliveredOrder(tenantId, [{ sku: 'MUG', quantity: 10, unitPrice: '5' }], 2, 'app');
    const line = (sku: string, quantity: number, reasonCode: string) => ({ sku, quantity, reasonCode });
    await world.ask(tenantId, { orderId: web, lines: [line('MUG', 2, 'DAMAGED'), line('TV', 1, 'CHANGED_MIND')], resolution: 'refund' });
    await world.ask(tenantId, { orderId: app, lines: [line('MUG', 3, 'DAMAGED')], resolution: 'exchange' });
    const refused = (await world.ask(tenantId, { orderId: app, lines: [line('MUG', 1, 'WRONG_ITEM')], resolution: 'refund' })).body;
    await world.sut.http().post(`/v1/returns/${refused.id}/review`).set(asStaff(['reviewer'])).set(anIdempotencyKey()).send({ decision: 'reject', reason: 'it was the right item' });

    const byReason = (await figures(`groupBy=reason&platformId=${tenantId}`)).body;
    expect(byReason.totals).toEqual({ returnedUnits: 6, shippedUnits: 22, returnRate: 0.2727, returns: 2 });
    expect(byReason.groups).toEqual([
      { key: 'DAMAGED', returnedUnits: 5, shippedUnits: 22, returnRate: 0.2273, returns: 2 },
      { key: 'CHANGED_MIND', returnedUnits: 1, shippedUnits: 22, returnRate: 0.0455, returns: 1 },
    ]);
    const bySku = (await figures(`groupBy=sku&platformId=${tenantId}`)).body.groups;
    expect(bySku).toEqual([
      { key: 'MUG', returnedUnits: 5, shippedUnits: 20, returnRate: 0.25, returns: 2 },
      { key: 'TV', returnedUnits: 1, shippedUnits: 2, returnRate: 0.5, returns: 1 },
    ]);
    const byChannel = (await figures(`groupBy=channel&platformId=${tenantId}`)).body.groups;
    expect(byChannel).toEqual([
      { key: 'app', returnedUnits: 3, shippedUnits: 10, returnRate: 0.3, returns: 1 },
      { key: 'web', returnedUnits: 3, shippedUnits: 12, returnRate: 0.25, returns: 1 },
    ]);
    // A period before any of it: nothing.
    const before = (await figures(`from=2020-01-01T00:00:00Z&to=2020-02-01T00:00:00Z&platformId=${tenantId}`)).body;
    expect(before.totals).toEqual({ returnedUnits: 0, shippedUnits: 0, returnRate: null, returns: 0 });
  });

  it('refuses a bad period or grouping with 400, and anyone but ops, admin and reviewers', async () => {
    expect((await figures('from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z')).body).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect((await figures('groupBy=colour')).status).toBe(400);
    expect((await figures('from=yesterday')).status).toBe(400);
    expect((await world.sut.http().get('/v1/analytics/returns').set(asPlatform('shop-x'))).status).toBe(403);
    expect((await world.sut.http().get('/v1/analytics/returns').set(asStaff(['warehouse']))).status).toBe(403);
  });
});
