import { NotFoundException } from '@nestjs/common';

/** 404 SKU_UNKNOWN: a read of an SKU that is not in the catalog. */
export function skuUnknown(sku: string): NotFoundException {
  return new NotFoundException({ code: 'SKU_UNKNOWN', detail: `SKU ${sku} is not in the catalog.` });
}
