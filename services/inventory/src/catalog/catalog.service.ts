import { Injectable } from '@nestjs/common';
import { CatalogItemUpdatedV1 } from '@skald/contracts';
import { Outbox } from '@skald/messaging';
import type { EntityManager } from 'typeorm';
import { CatalogItem, type CatalogItemInput } from './catalog-item.entity.js';
import { CatalogRepository } from './catalog.repository.js';

@Injectable()
export class CatalogService {
  constructor(
    private readonly items: CatalogRepository,
    private readonly outbox: Outbox,
  ) {}

  /**
   * Creates or replaces a catalog item and announces it (`CatalogItemUpdatedV1`) within the
   * caller's transaction: the item and the event commit together.
   */
  async upsert(manager: EntityManager, input: CatalogItemInput): Promise<CatalogItem> {
    const item = await this.items.upsert(manager, input);
    await this.outbox.publish(
      manager,
      CatalogItemUpdatedV1,
      {
        sku: item.sku,
        name: item.name,
        listPrice: item.listPrice,
        currency: item.currency,
        sellable: item.sellable,
        returnable: item.returnable,
      },
      // The catalog is the trading company's, not a platform's.
      { tenantId: null },
    );
    return item;
  }

  find(sku: string): Promise<CatalogItem | null> {
    return this.items.find(sku);
  }

  /** The catalog items of these SKUs, by SKU (absent: not in the catalog). */
  async itemsBySku(manager: EntityManager, skus: readonly string[]): Promise<Map<string, CatalogItem>> {
    const items = await this.items.findMany(manager, skus);
    return new Map(items.map((item) => [item.sku, item]));
  }

  /** Those of `skus` that are not in the catalog, in the order given, without repeats. */
  async unknownSkus(manager: EntityManager, skus: readonly string[]): Promise<string[]> {
    const known = await this.itemsBySku(manager, skus);
    return [...new Set(skus)].filter((sku) => !known.has(sku));
  }
}
