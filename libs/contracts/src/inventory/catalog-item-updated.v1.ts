import { IsBoolean, IsNotEmpty, IsNumberString, IsString, Length, Matches, MaxLength } from 'class-validator';
import { DECIMAL } from '../common/values.js';
import { defineEvent } from '../registry/message-definition.js';

export class CatalogItemUpdated {
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  sku: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name: string;

  @IsNumberString()
  @Matches(DECIMAL)
  listPrice: string;

  @IsString()
  @Length(3, 3)
  currency: string;

  @IsBoolean()
  sellable: boolean;

  @IsBoolean()
  returnable: boolean;
}

export const CatalogItemUpdatedV1 = defineEvent({
  type: 'inventory.catalog-item.updated',
  version: 1,
  owner: 'inventory',
  summary: 'A catalog item was created or changed (name, list price, sellable, returnable).',
  payload: CatalogItemUpdated,
});
