import { Injectable, Logger, Optional } from '@nestjs/common';
import { STAFF_ROLES, type Caller, type StaffRole } from '@skald/service-kit';
import type { EntityManager } from 'typeorm';
import { newApiKeyMaterial, parseApiKey, secretMatches } from './api-key-secret.js';
import { ApiKeyCache } from './api-key-cache.js';
import { ApiKeyRepository, isStale, type KeyForAuthentication } from './api-key.repository.js';

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

const isStaffRole = (role: string): role is StaffRole => (STAFF_ROLES as readonly string[]).includes(role);

// Compared against when the key id is unknown, so a miss costs the same hash and comparison as a hit.
const NO_SUCH_KEY_HASH = Buffer.alloc(32);

/** Issues, authenticates and revokes API keys. */
@Injectable()
export class ApiKeyService {
  private readonly logger = new Logger(ApiKeyService.name);

  /** `cache`: the gateway's (the CLI has none and reads every time). */
  constructor(
    private readonly keys: ApiKeyRepository,
    @Optional() private readonly cache?: ApiKeyCache,
  ) {}

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
   * The secret is compared in constant time against the stored SHA-256, on every request: the
   * cache keeps what is stored about a key (by id), never that a presented key was good.
   */
  async authenticate(manager: EntityManager, presented: string): Promise<AuthenticatedKey | undefined> {
    const parsed = parseApiKey(presented);
    if (!parsed) return undefined;
    const key = this.cache?.get(parsed.id) ?? (await this.lookUp(manager, parsed.id));
    const matches = secretMatches(parsed.secret, key?.secretHash ?? NO_SUCH_KEY_HASH);
    if (!key || !matches || key.revoked) return undefined;
    if (isStale(key.lastUsedAt)) {
      // Set here first (on the cached record too): this replica writes it at most once a minute.
      key.lastUsedAt = new Date();
      this.keys.touch(manager, key.id).catch((error: Error) => this.logger.warn(`could not record use of key ${key.id}: ${error.message}`));
    }
    const caller: Caller = {
      kind: key.kind,
      principalId: key.id,
      tenantId: key.kind === 'platform' ? key.tenantId : null,
      roles: key.kind === 'staff' ? key.roles.filter(isStaffRole) : [],
    };
    return { caller, rateLimitPerSecond: key.rateLimitPerSecond };
  }

  private async lookUp(manager: EntityManager, id: string): Promise<KeyForAuthentication | undefined> {
    const version = this.cache?.currentVersion;
    const key = await this.keys.findForAuthentication(manager, id);
    if (!key) return undefined;
    if (version !== undefined) this.cache?.remember(key.id, key, version);
    return key;
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
