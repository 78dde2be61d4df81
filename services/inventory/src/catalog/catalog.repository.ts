import { Injectable } from '@nestjs/common';
import { entityColumns } from '@skald/persistence';
import { DataSource, type EntityManager } from 'typeorm';
import { CatalogItem, type CatalogItemInput } from './catalog-item.entity.js';

/** A catalog item's columns, named as its properties (list_price: numeric, read as a decimal string). */
const ITEM = entityColumns(CatalogItem, {
  sku: 'sku',
  name: 'name',
  listPrice: 'list_price',
  currency: 'currency',
  sellable: 'sellable',
  returnable: 'returnable',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
});

@Injectable()
export class CatalogRepository {
  constructor(private readonly dataSource: DataSource) {}

  async upsert(manager: EntityManager, item: CatalogItemInput): Promise<CatalogItem> {
    await manager.query(
      `INSERT INTO catalog_item (sku, name, list_price, currency, sellable, returnable)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (sku) DO UPDATE SET
         name = EXCLUDED.name, list_price = EXCLUDED.list_price, currency = EXCLUDED.currency,
         sellable = EXCLUDED.sellable, returnable = EXCLUDED.returnable, updated_at = now()`,
      [item.sku, item.name, item.listPrice, item.currency, item.sellable, item.returnable],
    );
    return manager.getRepository(CatalogItem).findOneByOrFail({ sku: item.sku });
  }

  find(sku: string, manager: EntityManager = this.dataSource.manager): Promise<CatalogItem | null> {
    return manager.getRepository(CatalogItem).findOneBy({ sku });
  }

  /**
   * The catalog items of these SKUs (those that exist), in no particular order.
   * Plain SQL on purpose: every reserve command looks its SKUs up, and TypeORM's query builder
   * and hydration cost more CPU than the statement itself.
   */
  async findMany(manager: EntityManager, skus: readonly string[]): Promise<CatalogItem[]> {
    if (skus.length === 0) return [];
    const rows: object[] = await manager.query(`SELECT ${ITEM.list} FROM catalog_item WHERE sku = ANY($1::text[])`, [[...skus]]);
    return rows.map((row) => ITEM.toEntity(row));
  }
}
