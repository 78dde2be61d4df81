import { NotFoundException } from '@nestjs/common';

/** 404 SKU_UNKNOWN: a read of an SKU that is not in the catalog. */
export function skuUnknown(sku: string): NotFoundException {
  return new NotFoundException({ code: 'SKU_UNKNOWN', detail: `SKU ${sku} is not in the catalog.` });
}

/** 404 WAREHOUSE_UNKNOWN: a warehouse no receipt or warehouse setting has created. */
export function warehouseUnknown(code: string): NotFoundException {
  return new NotFoundException({ code: 'WAREHOUSE_UNKNOWN', detail: `Warehouse ${code} is not known.` });
}
