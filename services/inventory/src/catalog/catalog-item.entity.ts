import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A sellable (or formerly sellable) article. Never deleted: stock and history refer to it. */
@Entity({ name: 'catalog_item' })
export class CatalogItem {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  sku: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  /** numeric(14,4), read as a decimal string ("129.9000"): no float rounding. */
  @Column({ name: 'list_price', type: 'numeric', precision: 14, scale: 4 })
  listPrice: string;

  @Column({ type: 'char', length: 3 })
  currency: string;

  @Column({ type: 'boolean' })
  sellable: boolean;

  @Column({ type: 'boolean' })
  returnable: boolean;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

export type CatalogItemInput = Pick<CatalogItem, 'sku' | 'name' | 'listPrice' | 'currency' | 'sellable' | 'returnable'>;
