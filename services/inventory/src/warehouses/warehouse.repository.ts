import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Warehouse } from './warehouse.entity.js';

@Injectable()
export class WarehouseRepository {
  async upsert(manager: EntityManager, warehouse: { code: string; priority: number; name?: string | null }): Promise<Warehouse> {
    await manager.query(
      `INSERT INTO warehouse (code, name, priority) VALUES ($1, $2, $3)
       ON CONFLICT (code) DO UPDATE SET
         priority = EXCLUDED.priority, name = COALESCE(EXCLUDED.name, warehouse.name), updated_at = now()`,
      [warehouse.code, warehouse.name ?? null, warehouse.priority],
    );
    return manager.getRepository(Warehouse).findOneByOrFail({ code: warehouse.code });
  }

  async insertIfMissing(manager: EntityManager, code: string, priority: number): Promise<void> {
    await manager.query(`INSERT INTO warehouse (code, priority) VALUES ($1, $2) ON CONFLICT (code) DO NOTHING`, [code, priority]);
  }

  async exists(manager: EntityManager, code: string): Promise<boolean> {
    return manager.getRepository(Warehouse).existsBy({ code });
  }
}
