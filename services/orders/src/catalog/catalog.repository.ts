import { Injectable } from '@nestjs/common';
import { In, type EntityManager } from 'typeorm';
import { CatalogItemEntity } from './catalog-item.entity.js';

@Injectable()
export class CatalogRepository {
  /**
   * Applies an item as of `asOf` (the event's time): an older event arriving late never
   * overwrites a newer state.
   */
  async apply(manager: EntityManager, item: Omit<CatalogItemEntity, 'updatedAt'>, asOf: Date): Promise<void> {
    await manager.query(
      `INSERT INTO catalog_item (sku, name, list_price, currency, sellable, returnable, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (sku) DO UPDATE SET name = excluded.name, list_price = excluded.list_price, currency = excluded.currency,
         sellable = excluded.sellable, returnable = excluded.returnable, updated_at = excluded.updated_at
       WHERE catalog_item.updated_at <= excluded.updated_at`,
      [item.sku, item.name, item.listPrice, item.currency, item.sellable, item.returnable, asOf],
    );
  }

  async bySku(manager: EntityManager, skus: string[]): Promise<Map<string, CatalogItemEntity>> {
    const items = skus.length ? await manager.findBy(CatalogItemEntity, { sku: In(skus) }) : [];
    return new Map(items.map((item) => [item.sku, item]));
  }
}
