import { CatalogItem } from '../catalog/catalog-item.entity.js';
import { CatalogRepository } from '../catalog/catalog.repository.js';
import { StockLevelRepository } from '../stock/stock-level.repository.js';
import { aReserveCommand, anSku, aWarehouseCode } from '../../test/factories.js';
import { InventoryDriver } from '../../test/inventory-driver.js';
import { BackorderLine, ReleasedOrder } from './backorder-line.entity.js';
import { BackorderRepository } from './backorder.repository.js';
import { Reservation, ReservationRequest } from './reservation.entity.js';
import { ReservationRepository } from './reservation.repository.js';

/**
 * The reads a reserve, consume or release command runs are plain SQL: their rows come back as
 * TypeORM hydrates the entities (same class, properties and types: bigint and numeric as strings,
 * jsonb parsed, timestamptz as Date), and the other rows with exactly their interface's properties.
 */
describe('inventory repositories: plain-SQL rows as TypeORM reads them (real PostgreSQL and RabbitMQ)', () => {
  let inventory: InventoryDriver;

  beforeAll(async () => {
    inventory = await InventoryDriver.start();
  });

  afterAll(async () => {
    await inventory?.close();
  });

  it('reservations, reserve decisions, release tombstones, backorder lines, catalog items, stock levels, the expiry claim', async () => {
    const [tea, main] = [anSku('TEA'), aWarehouseCode('MAIN')];
    await inventory.warehouse(main, 1);
    await inventory.stocked([{ warehouse: main, sku: tea, quantity: 3 }]);
    const holdUntil = new Date(Date.now() + 3_600_000);
    const command = inventory.reserve(aReserveCommand({ lines: [{ sku: tea, quantity: 5 }], onShortage: 'backorder', holdUntil: holdUntil.toISOString() }), {
      tenantId: 'tenant-rows',
      correlationId: 'saga-rows',
    });
    await inventory.reservedFor(command);
    const { orderId } = command.payload;
    const app = inventory.sut.app;
    const [reservations, backorders, catalog, levels] = [app.get(ReservationRepository), app.get(BackorderRepository), app.get(CatalogRepository), app.get(StockLevelRepository)];
    const rollback = new Error('rolled back: the claim and the tombstone were the test’s own');

    const checks = inventory.sut.dataSource.transaction(async (manager) => {
      const active = await manager.find(Reservation, { where: { orderId, status: 'active' }, order: { sku: 'ASC', warehouse: 'ASC', createdAt: 'ASC', id: 'ASC' } });
      expect(active).toHaveLength(1);
      expect(await reservations.activeOfOrder(manager, orderId)).toStrictEqual(active);
      expect(await reservations.activeOfOrder(manager, orderId, 1)).toStrictEqual(active);
      expect(await reservations.lockActiveOfOrder(manager, orderId)).toStrictEqual(active);
      expect(await reservations.lockActive(manager, orderId, main, tea)).toStrictEqual(active);

      const request = await manager.findOneByOrFail(ReservationRequest, { orderId, attempt: 1 });
      expect(request.holdUntil).toEqual(holdUntil);
      expect(await reservations.decisionState(manager, orderId, 1)).toStrictEqual({ released: null, request, latestAttempt: 1 });
      expect(await reservations.decisionState(manager, orderId, 2)).toStrictEqual({ released: null, request: null, latestAttempt: 1 });

      const waiting = await manager.find(BackorderLine, { where: { orderId, status: 'waiting' }, order: { sku: 'ASC', id: 'ASC' } });
      expect(waiting).toHaveLength(1);
      expect(await backorders.waitingOfOrder(manager, orderId)).toStrictEqual(waiting);
      expect(await backorders.lockQueue(manager, [tea])).toStrictEqual([
        { id: waiting[0].id, orderId, attempt: 1, tenantId: 'tenant-rows', sku: tea, waiting: 2, correlationId: 'saga-rows', holdUntil },
      ]);

      expect(await catalog.findMany(manager, [tea, anSku('UNKNOWN')])).toStrictEqual(await manager.findBy(CatalogItem, { sku: tea }));

      const level = { sku: tea, warehouse: main, priority: 1, onHand: 3, reserved: 3, quarantined: 0 };
      expect(await levels.lockAllOf(manager, [tea])).toStrictEqual([level]);
      expect(await levels.lockIn(manager, main, [tea])).toStrictEqual([level]);
      expect(await levels.levelsOf(tea, manager)).toStrictEqual([{ ...level, lowStockThreshold: null }]);

      await reservations.recordReleased(manager, { orderId, tenantId: 'tenant-rows', reason: 'customer cancelled' });
      const released = await manager.findOneByOrFail(ReleasedOrder, { orderId });
      expect(await reservations.decisionState(manager, orderId, 1)).toStrictEqual({ released, request, latestAttempt: 1 });

      await manager.query(`UPDATE reservation SET expires_at = now() - interval '1 minute' WHERE id = $1`, [active[0].id]);
      expect(await reservations.claimExpired(manager, 10)).toStrictEqual([
        { id: active[0].id, orderId, attempt: 1, tenantId: 'tenant-rows', sku: tea, warehouse: main, quantity: 3, correlationId: 'saga-rows' },
      ]);
      throw rollback;
    });
    await expect(checks).rejects.toBe(rollback);
  });
});
