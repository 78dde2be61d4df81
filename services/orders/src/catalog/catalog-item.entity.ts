import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Replica of inventory's catalog, fed by its events: review never calls inventory. */
@Entity('catalog_item')
export class CatalogItemEntity {
  @PrimaryColumn('text')
  sku: string;

  @Column('text')
  name: string;

  @Column('numeric', { name: 'list_price', precision: 14, scale: 4 })
  listPrice: string;

  @Column('char', { length: 3 })
  currency: string;

  @Column('boolean')
  sellable: boolean;

  @Column('boolean')
  returnable: boolean;

  @Column('timestamptz', { name: 'updated_at', default: () => 'now()' })
  updatedAt: Date;
}
