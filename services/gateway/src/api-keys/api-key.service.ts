import { Injectable, Logger } from '@nestjs/common';
import { STAFF_ROLES, type Caller, type StaffRole } from '@skald/service-kit';
import type { EntityManager } from 'typeorm';
import { newApiKeyMaterial, parseApiKey, secretMatches } from './api-key-secret.js';
import { ApiKeyRepository, isStale } from './api-key.repository.js';

/** A key just created: `key` is the only copy of the secret and is shown once. */
export interface IssuedApiKey {
  id: string;
  key: string;
}

/** An authenticated key: the caller it stands for and its platform's own rate limit (null: the default). */
export interface AuthenticatedKey {
  caller: Caller;
  rateLimitPerSecond: number | null;
}

// Compared against when the key id is unknown, so a miss costs the same hash and comparison as a hit.
const NO_SUCH_KEY_HASH = Buffer.alloc(32);

/** Issues, authenticates and revokes API keys. */
@Injectable()
export class ApiKeyService {
  private readonly logger = new Logger(ApiKeyService.name);

  constructor(private readonly keys: ApiKeyRepository) {}

  /** Creates the key of a platform (in the caller's transaction, with the platform). */
  issuePlatformKey(manager: EntityManager, tenantId: string): Promise<IssuedApiKey> {
    return this.issue(manager, { kind: 'platform', tenantId, roles: [] });
  }

  /** Creates a staff key with the given (already validated) roles. */
  issueStaffKey(manager: EntityManager, roles: StaffRole[]): Promise<IssuedApiKey> {
    return this.issue(manager, { kind: 'staff', tenantId: null, roles: [...new Set(roles)] });
  }

  /**
   * The caller a presented key stands for, with its platform's rate limit; undefined when it is malformed, unknown or revoked.
   * The secret is compared in constant time against the stored SHA-256.
   */
  async authenticate(manager: EntityManager, presented: string): Promise<AuthenticatedKey | undefined> {
    const parsed = parseApiKey(presented);
    if (!parsed) return undefined;
    const found = await this.keys.findWithRateLimit(manager, parsed.id);
    const matches = secretMatches(parsed.secret, found?.key.secretHash ?? NO_SUCH_KEY_HASH);
    if (!found || !matches || found.key.revokedAt) return undefined;
    const { key } = found;
    if (isStale(key.lastUsedAt)) {
      this.keys.touch(manager, key.id).catch((error: Error) => this.logger.warn(`could not record use of key ${key.id}: ${error.message}`));
    }
    const caller: Caller = {
      kind: key.kind,
      principalId: key.id,
      tenantId: key.kind === 'platform' ? key.tenantId : null,
      roles: key.kind === 'staff' ? key.roles.filter((role) => (STAFF_ROLES as readonly string[]).includes(role)) : [],
    };
    return { caller, rateLimitPerSecond: found.rateLimitPerSecond };
  }

  /** @returns false when there is no such key or it was already revoked. */
  revoke(manager: EntityManager, id: string): Promise<boolean> {
    return this.keys.revoke(manager, id);
  }

  private async issue(
    manager: EntityManager,
    owner: { kind: 'platform' | 'staff'; tenantId: string | null; roles: StaffRole[] },
  ): Promise<IssuedApiKey> {
    const material = newApiKeyMaterial();
    await this.keys.insert(manager, { id: material.id, secretHash: material.secretHash, ...owner });
    return { id: material.id, key: material.key };
  }
}
