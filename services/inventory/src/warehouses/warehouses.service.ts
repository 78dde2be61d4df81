import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DEFAULT_WAREHOUSE_PRIORITY, Warehouse } from './warehouse.entity.js';
import { WarehouseRepository } from './warehouse.repository.js';

@Injectable()
export class WarehousesService {
  constructor(private readonly warehouses: WarehouseRepository) {}

  /** Creates a warehouse or sets its priority; the name is kept when none is given. */
  put(manager: EntityManager, warehouse: { code: string; priority: number; name?: string }): Promise<Warehouse> {
    return this.warehouses.upsert(manager, warehouse);
  }

  /** Makes sure a warehouse exists, creating it with the default priority (a first receipt). */
  ensureExists(manager: EntityManager, code: string): Promise<void> {
    return this.warehouses.insertIfMissing(manager, code, DEFAULT_WAREHOUSE_PRIORITY);
  }

  /** Whether a warehouse exists (created by a receipt or a warehouse setting). */
  exists(manager: EntityManager, code: string): Promise<boolean> {
    return this.warehouses.exists(manager, code);
  }
}
