import { asPlatform, asStaff } from '@skald/testing';
import { aWarehouseCode } from '../../test/factories.js';
import { INVENTORY_STAFF, InventoryDriver } from '../../test/inventory-driver.js';

describe('warehouses (real PostgreSQL and RabbitMQ)', () => {
  let inventory: InventoryDriver;

  beforeAll(async () => {
    inventory = await InventoryDriver.start();
  });

  afterAll(async () => {
    await inventory?.close();
  });

  it('creates a warehouse, then changes its priority and keeps its name when none is sent', async () => {
    const code = aWarehouseCode();
    const created = await inventory.http().put(`/v1/warehouses/${code}`).set(INVENTORY_STAFF).send({ priority: 5, name: 'North hub' });
    expect(created.status).toBe(200);
    expect(created.body).toEqual({ code, name: 'North hub', priority: 5 });

    const reprioritised = await inventory.http().put(`/v1/warehouses/${code}`).set(asStaff(['admin'])).send({ priority: 0 });
    expect(reprioritised.status).toBe(200);
    expect(reprioritised.body).toEqual({ code, name: 'North hub', priority: 0 });

    const unnamed = aWarehouseCode();
    const bare = await inventory.http().put(`/v1/warehouses/${unnamed}`).set(INVENTORY_STAFF).send({ priority: 100 });
    expect(bare.body).toEqual({ code: unnamed, name: null, priority: 100 });
  });

  it('refuses bad priorities, unknown fields and callers without the inventory role, changing nothing', async () => {
    const code = aWarehouseCode();
    const put = (body: object, caller = INVENTORY_STAFF) => inventory.http().put(`/v1/warehouses/${code}`).set(caller).send(body);
    for (const body of [{ priority: -1 }, { priority: 1.5 }, { priority: '3' }, {}, { priority: 1, name: '' }, { priority: 1, city: 'Oslo' }]) {
      const res = await put(body);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    }
    expect((await put({ priority: 1 }, asStaff(['warehouse']))).status).toBe(403);
    expect((await put({ priority: 1 }, asPlatform('tenant-a'))).status).toBe(403);
    expect((await inventory.http().put(`/v1/warehouses/${code}`).send({ priority: 1 })).status).toBe(401);
    expect(await inventory.query(`SELECT code FROM warehouse WHERE code = $1`, [code])).toEqual([]);
  });
});
