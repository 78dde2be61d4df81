import type { ServiceTimeline } from '@skald/contracts';
import { asStaff } from '@skald/testing';
import { randomUUID } from 'node:crypto';
import { ReturnsWorld } from '../../test/returns-world.js';

/** An RMA number resolves to its return, whose id is the return saga's correlation id in every service's timeline. */
describe("RMA lookup and the return saga's part of a timeline (real PostgreSQL and RabbitMQ)", () => {
  const world = new ReturnsWorld();
  const ops = asStaff(['ops'], 'on-call');

  beforeAll(() => world.start());
  afterAll(() => world.stop());

  it('answers the return and its order for an RMA number, and the return saga on GET /internal/timeline/{returnId}', async () => {
    const tenantId = `shop-${randomUUID().slice(0, 8)}`;
    const orderId = await world.deliveredOrder(tenantId, [{ sku: 'MUG-1', quantity: 2, unitPrice: '10' }]);
    const asked = await world.ask(tenantId, { orderId, lines: [{ sku: 'MUG-1', quantity: 1, reasonCode: 'DAMAGED' }], resolution: 'refund' });
    expect(asked.status).toBe(202);
    const { id, rmaNumber } = asked.body as { id: string; rmaNumber: string };

    const found = await world.sut.http().get(`/internal/rma/${rmaNumber}`).set(ops);
    const timeline = await world.sut.http().get(`/internal/timeline/${id}`).set(ops);

    expect(found.status).toBe(200);
    expect(found.body).toEqual({ returnId: id, rmaNumber, orderId });
    expect(timeline.status).toBe(200);
    const body = timeline.body as ServiceTimeline;
    expect(body.sagas).toEqual([expect.objectContaining({ id, type: 'return', state: 'approved', finished: false, waitingFor: [expect.any(String)] })]);
    expect(body.entries.filter((entry) => entry.kind.startsWith('saga.')).length).toBeGreaterThan(0);
    expect(body.entries.every((entry) => entry.service === 'returns')).toBe(true);
  });

  it('answers 404 RETURN_NOT_FOUND for an unknown RMA number, 400 for something else, 403 without ops', async () => {
    const [unknown, malformed, platform] = await Promise.all([
      world.sut.http().get('/internal/rma/RMA-1999-000001').set(ops),
      world.sut.http().get('/internal/rma/RMA-x').set(ops),
      world.sut.http().get('/internal/rma/RMA-1999-000001').set(asStaff(['warehouse'], 'dock')),
    ]);
    expect([unknown.status, malformed.status, platform.status]).toEqual([404, 400, 403]);
    expect([unknown.body.code, malformed.body.code]).toEqual(['RETURN_NOT_FOUND', 'VALIDATION_FAILED']);
  });
});
