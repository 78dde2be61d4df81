import type { StaffRole } from '@skald/service-kit';
import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

export type ApiKeyKind = 'platform' | 'staff';

/** An API key: only its public id and the SHA-256 of its secret are kept. */
@Entity('api_key')
export class ApiKey {
  /** The public id, the middle part of `sk_<id>_<secret>`. */
  @PrimaryColumn('text')
  id: string;

  @Column('text')
  kind: ApiKeyKind;

  /** The platform of a platform key; null for staff keys. */
  @Column('uuid', { name: 'tenant_id', nullable: true })
  tenantId: string | null;

  @Column('text', { array: true })
  roles: StaffRole[];

  @Column('bytea', { name: 'secret_hash' })
  secretHash: Buffer;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column('timestamptz', { name: 'last_used_at', nullable: true })
  lastUsedAt: Date | null;

  @Column('timestamptz', { name: 'revoked_at', nullable: true })
  revokedAt: Date | null;
}
