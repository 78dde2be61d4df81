import { CatalogItemUpdatedV1 } from '@skald/contracts';
import { asPlatform, asStaff } from '@skald/testing';
import { aCatalogItem, anSku } from '../../test/factories.js';
import { INVENTORY_STAFF, InventoryDriver } from '../../test/inventory-driver.js';

describe('catalog (real PostgreSQL and RabbitMQ)', () => {
  let inventory: InventoryDriver;

  beforeAll(async () => {
    inventory = await InventoryDriver.start();
  });

  afterAll(async () => {
    await inventory?.close();
  });

  const outboxRowsFor = async (sku: string) =>
    (await inventory.query(`SELECT id FROM outbox_message WHERE envelope->'payload'->>'sku' = $1`, [sku])).length;

  it('creates and replaces an item, answers it to platforms, and announces every change through the outbox', async () => {
    const sku = anSku('TEA');

    const created = await inventory.http().put(`/v1/catalog/${sku}`).set(INVENTORY_STAFF).send(aCatalogItem({ listPrice: 12.5 }));
    expect(created.status).toBe(200);
    expect(created.body).toEqual({
      sku,
      name: 'Oolong tea, 250 g',
      listPrice: '12.5000',
      currency: 'EUR',
      sellable: true,
      returnable: true,
      updatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    const first = await inventory.probe.next(CatalogItemUpdatedV1, (item) => item.sku === sku);
    expect(first.payload).toEqual({
      sku,
      name: 'Oolong tea, 250 g',
      listPrice: '12.5000',
      currency: 'EUR',
      sellable: true,
      returnable: true,
    });
    expect(first.tenantId).toBeNull();

    const replaced = await inventory
      .http()
      .put(`/v1/catalog/${sku}`)
      .set(asStaff(['admin']))
      .send(aCatalogItem({ name: 'Oolong tea, 500 g', listPrice: '0.0001', currency: 'USD', sellable: false, returnable: false }));
    expect(replaced.status).toBe(200);
    const second = await inventory.probe.next(CatalogItemUpdatedV1, (item) => item.sku === sku && item.name === 'Oolong tea, 500 g');
    expect(second.payload).toEqual({
      sku,
      name: 'Oolong tea, 500 g',
      listPrice: '0.0001',
      currency: 'USD',
      sellable: false,
      returnable: false,
    });

    const read = await inventory.http().get(`/v1/catalog/${sku}`).set(asPlatform('tenant-a'));
    expect(read.status).toBe(200);
    expect(read.body).toEqual(replaced.body);
    expect(await outboxRowsFor(sku)).toBe(2);
  });

  it('refuses a bad body with a problem listing every failing field, and stores and announces nothing', async () => {
    const sku = anSku();
    const res = await inventory
      .http()
      .put(`/v1/catalog/${sku}`)
      .set(INVENTORY_STAFF)
      .send({ name: '', listPrice: '-1', currency: 'eur', sellable: 'yes', colour: 'green' });

    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    expect(new Set(res.body.errors.map((e: { field: string }) => e.field))).toEqual(
      new Set(['name', 'listPrice', 'currency', 'sellable', 'returnable', 'colour']),
    );
    const read = await inventory.http().get(`/v1/catalog/${sku}`).set(INVENTORY_STAFF);
    expect(read.status).toBe(404);
    expect(read.body).toMatchObject({ status: 404, code: 'SKU_UNKNOWN' });
    expect(await outboxRowsFor(sku)).toBe(0);
  });

  it.each([['1.23456'], [1.23456], [-1], ['1e3'], [12345678901], [0.1 + 0.2], [true], [''], [' 1']])(
    'refuses list price %p',
    async (listPrice) => {
      const body = aCatalogItem({ listPrice: listPrice as string });
      const res = await inventory.http().put(`/v1/catalog/${anSku()}`).set(INVENTORY_STAFF).send(body);
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['listPrice']);
    },
  );

  it.each([
    [0, '0.0000'],
    ['7', '7.0000'],
    ['99.9999', '99.9999'],
    [1234567890.1234, '1234567890.1234'],
  ])('stores list price %p as %p', async (listPrice, stored) => {
    const res = await inventory.http().put(`/v1/catalog/${anSku()}`).set(INVENTORY_STAFF).send(aCatalogItem({ listPrice }));
    expect(res.status).toBe(200);
    expect(res.body.listPrice).toBe(stored);
  });

  it('refuses an unknown currency and a malformed SKU', async () => {
    const currency = await inventory.http().put(`/v1/catalog/${anSku()}`).set(INVENTORY_STAFF).send(aCatalogItem({ currency: 'XYZ' }));
    expect(currency.status).toBe(400);
    expect(currency.body.errors.map((e: { field: string }) => e.field)).toEqual(['currency']);

    for (const sku of ['has space', 'x'.repeat(65), 'semi;colon']) {
      const res = await inventory.http().put(`/v1/catalog/${encodeURIComponent(sku)}`).set(INVENTORY_STAFF).send(aCatalogItem());
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['sku']);
    }
  });

  it('lets only inventory staff (and admins) write the catalog, and every authenticated caller read it', async () => {
    const sku = anSku();
    const asPlatformKey = await inventory.http().put(`/v1/catalog/${sku}`).set(asPlatform('tenant-a')).send(aCatalogItem());
    expect(asPlatformKey.status).toBe(403);
    expect(asPlatformKey.body).toMatchObject({ code: 'FORBIDDEN' });

    const asWarehouseStaff = await inventory.http().put(`/v1/catalog/${sku}`).set(asStaff(['warehouse', 'ops'])).send(aCatalogItem());
    expect(asWarehouseStaff.status).toBe(403);

    const anonymous = await inventory.http().put(`/v1/catalog/${sku}`).send(aCatalogItem());
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(await outboxRowsFor(sku)).toBe(0);

    await inventory.catalogItem(sku);
    expect((await inventory.http().get(`/v1/catalog/${sku}`).set(asStaff(['reviewer']))).status).toBe(200);
    expect((await inventory.http().get(`/v1/catalog/${sku}`)).status).toBe(401);
  });
});
