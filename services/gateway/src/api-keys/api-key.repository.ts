import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Platform } from '../platforms/platform.entity.js';
import { ApiKey } from './api-key.entity.js';

/** How stale `last_used_at` may get: it is for operators, not worth a write per request. */
export const TOUCH_AFTER_SECONDS = 60;

/** Whether a key's `last_used_at` is old enough to write again (checked before any statement is sent). */
export function isStale(lastUsedAt: Date | null, now = Date.now()): boolean {
  return lastUsedAt === null || now - lastUsedAt.getTime() >= TOUCH_AFTER_SECONDS * 1000;
}

@Injectable()
export class ApiKeyRepository {
  async insert(manager: EntityManager, key: Pick<ApiKey, 'id' | 'kind' | 'tenantId' | 'roles' | 'secretHash'>): Promise<ApiKey> {
    const entity = manager.create(ApiKey, key);
    return manager.save(ApiKey, entity);
  }

  /** The key and, for a platform key, its platform's own rate limit (null: the default), in one read. */
  async findWithRateLimit(manager: EntityManager, id: string): Promise<{ key: ApiKey; rateLimitPerSecond: number | null } | null> {
    const { entities, raw } = await manager
      .createQueryBuilder(ApiKey, 'key')
      .leftJoin(Platform, 'platform', 'platform.id = key.tenant_id')
      .addSelect('platform.rate_limit_per_second', 'rate_limit_per_second')
      .where('key.id = :id', { id })
      .getRawAndEntities<{ rate_limit_per_second: number | null }>();
    if (entities.length === 0) return null;
    return { key: entities[0], rateLimitPerSecond: raw[0].rate_limit_per_second ?? null };
  }

  /** Records that the key was used, at most once a minute. */
  async touch(manager: EntityManager, id: string): Promise<void> {
    await manager.query(
      `UPDATE api_key SET last_used_at = now()
        WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - $2 * interval '1 second')`,
      [id, TOUCH_AFTER_SECONDS],
    );
  }

  /** @returns false when there is no such key or it was already revoked. */
  async revoke(manager: EntityManager, id: string): Promise<boolean> {
    const [, affected] = (await manager.query(`UPDATE api_key SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL`, [id])) as [
      unknown,
      number,
    ];
    return affected > 0;
  }
}
