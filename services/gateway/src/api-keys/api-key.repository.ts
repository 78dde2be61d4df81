import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ApiKey, type ApiKeyKind } from './api-key.entity.js';

/** How stale `last_used_at` may get: it is for operators, not worth a write per request. */
export const TOUCH_AFTER_SECONDS = 60;

/** Whether a key's `last_used_at` is old enough to write again (checked before any statement is sent). */
export function isStale(lastUsedAt: Date | null, now = Date.now()): boolean {
  return lastUsedAt === null || now - lastUsedAt.getTime() >= TOUCH_AFTER_SECONDS * 1000;
}

/** What authenticating a key needs (never its secret: only the SHA-256 of it), as the gateway caches it. */
export interface KeyForAuthentication {
  id: string;
  kind: ApiKeyKind;
  tenantId: string | null;
  roles: string[];
  secretHash: Buffer;
  revoked: boolean;
  /** Its platform's own rate limit; null: the default (and for staff keys). */
  rateLimitPerSecond: number | null;
  /** As last written by anyone, then as this replica last wrote it. */
  lastUsedAt: Date | null;
}

interface KeyRow {
  id: string;
  kind: ApiKeyKind;
  tenant_id: string | null;
  roles: string[];
  secret_hash: Buffer;
  revoked: boolean;
  rate_limit_per_second: number | null;
  last_used_at: Date | null;
}

/** A copy with its own memory: the driver's small Buffers are slices of a shared 8 KB slab, which a cached one would keep alive. */
function unpooled(buffer: Buffer): Buffer {
  const copy = Buffer.allocUnsafeSlow(buffer.length);
  buffer.copy(copy);
  return copy;
}

@Injectable()
export class ApiKeyRepository {
  async insert(manager: EntityManager, key: Pick<ApiKey, 'id' | 'kind' | 'tenantId' | 'roles' | 'secretHash'>): Promise<ApiKey> {
    const entity = manager.create(ApiKey, key);
    return manager.save(ApiKey, entity);
  }

  /**
   * The key and, for a platform key, its platform's own rate limit, in one primary-key read.
   * Plain SQL rather than the query builder: it runs for every request whose key the gateway has
   * not cached (and for every unknown id), and builds only the plain record the cache keeps.
   */
  async findForAuthentication(manager: EntityManager, id: string): Promise<KeyForAuthentication | null> {
    const rows = (await manager.query(
      `SELECT k.id, k.kind, k.tenant_id, k.roles, k.secret_hash, k.revoked_at IS NOT NULL AS revoked, k.last_used_at,
              p.rate_limit_per_second
         FROM api_key k LEFT JOIN platform p ON p.id = k.tenant_id
        WHERE k.id = $1`,
      [id],
    )) as KeyRow[];
    const row = rows[0];
    if (!row) return null;
    return {
      id: row.id,
      kind: row.kind,
      tenantId: row.tenant_id,
      roles: row.roles,
      secretHash: unpooled(row.secret_hash),
      revoked: row.revoked,
      rateLimitPerSecond: row.rate_limit_per_second,
      lastUsedAt: row.last_used_at,
    };
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
