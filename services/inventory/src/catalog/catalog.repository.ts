import { Injectable } from '@nestjs/common';
import { DataSource, In, type EntityManager } from 'typeorm';
import { CatalogItem, type CatalogItemInput } from './catalog-item.entity.js';

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

  findMany(manager: EntityManager, skus: readonly string[]): Promise<CatalogItem[]> {
    if (skus.length === 0) return Promise.resolve([]);
    return manager.getRepository(CatalogItem).findBy({ sku: In([...skus]) });
  }
}
