import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Platform } from './platform.entity.js';

@Injectable()
export class PlatformRepository {
  async insert(manager: EntityManager, platform: Omit<Platform, 'createdAt'>): Promise<Platform> {
    return manager.save(Platform, manager.create(Platform, platform));
  }

  findById(manager: EntityManager, id: string): Promise<Platform | null> {
    return manager.findOneBy(Platform, { id });
  }

  /** @returns false when there is no such platform. */
  async updateRateLimit(manager: EntityManager, id: string, ratePerSecond: number | null): Promise<boolean> {
    const result = await manager.update(Platform, { id }, { rateLimitPerSecond: ratePerSecond });
    return (result.affected ?? 0) > 0;
  }
}
