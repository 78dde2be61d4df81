import { OrderStatusChangedV1, PlaceReplacementOrderV1, ReplacementOrderPlacedV1, ReserveStockV1 } from '@skald/contracts';
import { waitFor } from '@skald/testing';
import { randomUUID } from 'node:crypto';
import { aCatalogItem, anOrder, aPlatform } from '../../test/factories.js';
import { OrdersWorld } from '../../test/orders-world.js';

describe('replacement orders of exchanged returns (real PostgreSQL and RabbitMQ)', () => {
  const world = new OrdersWorld();

  beforeAll(() => world.start([ReplacementOrderPlacedV1, ReserveStockV1, OrderStatusChangedV1]));
  afterAll(() => world.stop());

  it('places a replacement (same customer and address, nothing to pay, review skipped) once per return, linked to it', async () => {
    const platform = await world.platform(aPlatform({ shortagePolicy: { mode: 'backorder', backorderDays: 7, partialRemainder: 'backorder', maxBackorderDays: 30 } }));
    const item = aCatalogItem();
    await world.catalog(item);
    const body = anOrder([{ sku: item.sku, quantity: 3, unitPrice: 20 }]);
    const originalId = await world.place(platform.tenantId, body);
    const original = await world.status(platform.tenantId, originalId, 'approved');

    const command = { returnId: randomUUID(), rmaNumber: 'RMA-2026-000042', orderId: originalId, lines: [{ sku: item.sku, quantity: 2 }] };
    world.probe.publish(PlaceReplacementOrderV1, command, { tenantId: platform.tenantId, correlationId: command.returnId });
    const placed = await world.probe.next(ReplacementOrderPlacedV1, (p) => p.returnId === command.returnId);
    expect(placed.payload).toMatchObject({ orderId: originalId, rmaNumber: command.rmaNumber, externalId: `${body.externalId}/RMA-2026-000042` });
    expect(placed.correlationId).toBe(command.returnId);
    const replacementId = placed.payload.replacementOrderId;

    const reserve = await world.probe.next(ReserveStockV1, (p) => p.orderId === replacementId);
    expect(reserve.payload).toMatchObject({ lines: [{ sku: item.sku, quantity: 2 }], onShortage: 'backorder' });
    const replacement = await world.status(platform.tenantId, replacementId, 'approved');
    expect(replacement).toMatchObject({
      externalId: `${body.externalId}/RMA-2026-000042`,
      customer: original.customer,
      shippingAddress: original.shippingAddress,
      totalAmount: '0',
      payment: { status: 'paid', amount: '0' },
      lines: [{ sku: item.sku, quantity: 2, unitPrice: '0' }],
      replacementFor: { returnId: command.returnId, rmaNumber: 'RMA-2026-000042', orderId: originalId },
      review: { outcome: 'approved', reasons: [{ code: 'REPLACEMENT' }] },
      shortagePolicy: { mode: 'backorder' },
    });
    expect(replacement.statusHistory.map((s: { status: string }) => s.status)).toEqual(['received', 'approved']);
    // Its statuses name the return (the returns service may hear of one before the placement).
    const approved = await world.probe.next(OrderStatusChangedV1, (p) => p.orderId === replacementId && p.status === 'approved');
    expect(approved.payload.replacementFor).toEqual({ returnId: command.returnId, rmaNumber: 'RMA-2026-000042' });
    const originalApproved = await world.probe.next(OrderStatusChangedV1, (p) => p.orderId === originalId && p.status === 'approved');
    expect(originalApproved.payload.replacementFor).toBeUndefined();

    // The command again (a re-send): the same replacement, no second order.
    world.probe.publish(PlaceReplacementOrderV1, command, { tenantId: platform.tenantId, correlationId: command.returnId });
    await waitFor('the re-send answered', () => (world.probe.received.filter((m) => m.routingKey === ReplacementOrderPlacedV1.routingKey && (m.payload as { returnId: string }).returnId === command.returnId).length === 2 ? true : undefined));
    const answers = world.probe.received.filter((m) => m.routingKey === ReplacementOrderPlacedV1.routingKey && (m.payload as { returnId: string }).returnId === command.returnId);
    expect(answers.map((m) => (m.payload as { replacementOrderId: string }).replacementOrderId)).toEqual([replacementId, replacementId]);
    expect((await world.sut.dataSource.query(`SELECT count(*)::int AS n FROM sales_order WHERE replacement_for->>'returnId' = $1`, [command.returnId]))[0].n).toBe(1);
  });
});
