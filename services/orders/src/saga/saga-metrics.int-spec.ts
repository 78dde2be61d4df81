import {
  CancelOutboundNotesV1,
  CreateOutboundNotesV1,
  OutboundNotesCancelledV1,
  RefundRequestedV1,
  ReleaseStockV1,
  ReserveStockV1,
  StockReleasedV1,
  StockReservedV1,
} from '@skald/contracts';
import { asPlatform, waitFor } from '@skald/testing';
import { randomUUID } from 'node:crypto';
import { aCatalogItem, anOrder, aPlatform } from '../../test/factories.js';
import { OrdersWorld } from '../../test/orders-world.js';
import { SagaScheduler } from './saga-scheduler.js';

/**
 * The order saga on the orders service's /metrics, as Prometheus scrapes it: a cancelled order's
 * compensation counted, its saga stuck while the warehouse does not answer, then its duration
 * observed with the outcome `cancelled` (libs/saga's metrics, mechanism tested in libs/saga).
 */
describe('order saga metrics on /metrics (real PostgreSQL and RabbitMQ)', () => {
  const world = new OrdersWorld();
  let scheduler: SagaScheduler;

  beforeAll(async () => {
    // The scheduler is driven by the test (runOnce), not by its timer.
    await world.start([ReserveStockV1, CreateOutboundNotesV1, CancelOutboundNotesV1, ReleaseStockV1, RefundRequestedV1], {
      SAGA_SCHEDULER_INTERVAL_MS: '3600000',
      SAGA_MAX_RESENDS: '1',
      SAGA_REPLY_TIMEOUT_MS: '100',
    });
    scheduler = world.sut.app.get(SagaScheduler);
  });
  afterAll(() => world.stop());

  /** A sample of the service's /metrics page (0 when the series is not there). */
  async function sample(series: string): Promise<number> {
    const res = await world.sut.http().get('/metrics');
    expect(res.status).toBe(200);
    const line = res.text.split('\n').find((l) => l.startsWith(`${series} `));
    return line ? Number(line.slice(series.length + 1)) : 0;
  }
  const STUCK = 'skald_sagas_stuck{type="order",state="cancelling"}';
  const CANCELLED = 'skald_saga_duration_seconds_count{type="order",outcome="cancelled"}';
  const COMPENSATIONS = 'skald_saga_compensations_total{type="order",from_state="releasing"}';
  const RESERVING = 'skald_saga_step_seconds_count{type="order",state="reserving"}';

  it('counts the compensation, shows the saga stuck past its last re-send, then observes its duration as cancelled', async () => {
    const before = { cancelled: await sample(CANCELLED), compensations: await sample(COMPENSATIONS), reserving: await sample(RESERVING) };
    const { tenantId } = await world.platform(aPlatform());
    const item = aCatalogItem();
    await world.catalog(item);
    const id = await world.place(tenantId, anOrder([{ sku: item.sku, quantity: 2, unitPrice: 10 }]));
    const reserve = await world.probe.next(ReserveStockV1, (p) => p.orderId === id);
    const reservations = [{ reservationId: randomUUID(), warehouse: 'WH-A', sku: item.sku, quantity: 2 }];
    world.probe.publish(StockReservedV1, { orderId: id, reservations, attempt: reserve.payload.attempt }, { tenantId, correlationId: id });
    await world.probe.next(CreateOutboundNotesV1, (p) => p.orderId === id);
    await world.status(tenantId, id, 'reserved');
    expect(await sample(RESERVING)).toBe(before.reserving + 1); // reserving → releasing: the wait for inventory

    await world.sut.http().post(`/v1/orders/${id}/cancel`).set(asPlatform(tenantId)).send({ reason: 'changed my mind' }).expect(202);
    await world.probe.next(CancelOutboundNotesV1, (p) => p.orderId === id);
    expect(await sample(COMPENSATIONS)).toBe(before.compensations + 1);

    // The warehouse never answers: past the last re-send the saga is stuck, and a scrape shows it.
    for (let resend = 1; resend <= 2; resend += 1) {
      await world.sut.dataSource.query(`UPDATE saga SET deadline_at = now() - interval '1 second' WHERE id = $1`, [id]);
      expect(await scheduler.runOnce()).toBeGreaterThanOrEqual(1);
    }
    expect((await world.order(tenantId, id)).saga).toMatchObject({ state: 'cancelling', stuck: true });
    const stuck = await waitFor('the stuck saga on /metrics', async () => ((await sample(STUCK)) >= 1 ? sample(STUCK) : undefined));

    world.probe.publish(OutboundNotesCancelledV1, { orderId: id, reason: 'x', cancelled: [], shipped: [] }, { tenantId, correlationId: id });
    const release = await world.probe.next(ReleaseStockV1, (p) => p.orderId === id);
    world.probe.publish(StockReleasedV1, { orderId: id, reason: release.payload.reason, released: [], backorderEnded: [] }, { tenantId, correlationId: id });
    await world.status(tenantId, id, 'cancelled');
    expect(await sample(CANCELLED)).toBe(before.cancelled + 1);
    await waitFor('the saga no longer stuck on /metrics', async () => (await sample(STUCK)) === stuck - 1);
  });
});
