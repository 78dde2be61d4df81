import { Column, Entity, PrimaryColumn } from 'typeorm';

export type IdempotencyStatus = 'in_progress' | 'completed';

/** A stored response, replayed to a client that sends the same Idempotency-Key again. */
export interface StoredResponse {
  status: number;
  headers: Record<string, string>;
  /** The JSON body as it was sent, or null when there was none. */
  body: string | null;
}

/** One Idempotency-Key of one scope (a tenant, or a staff key): the request it stood for and its outcome. */
@Entity('idempotency_record')
export class IdempotencyRecord {
  @PrimaryColumn('uuid')
  id: string;

  /** `tenant:<tenantId>` for platform keys, `key:<keyId>` for staff keys. */
  @Column('text')
  scope: string;

  @Column('text')
  key: string;

  @Column('text')
  method: string;

  @Column('text')
  path: string;

  /** SHA-256 of method, path and canonical body. */
  @Column('text')
  fingerprint: string;

  @Column('text')
  status: IdempotencyStatus;

  /**
   * Who holds the in-progress record; only its holder may complete or release it. Null while its
   * outcome is unknown (the service's answer was lost): the same request may take it over.
   */
  @Column('uuid', { name: 'lock_token', nullable: true })
  lockToken: string | null;

  @Column('integer', { name: 'response_status', nullable: true })
  responseStatus: number | null;

  @Column('jsonb', { name: 'response_headers', nullable: true })
  responseHeaders: Record<string, string> | null;

  @Column('text', { name: 'response_body', nullable: true })
  responseBody: string | null;

  @Column('timestamptz', { name: 'created_at' })
  createdAt: Date;

  @Column('timestamptz', { name: 'locked_at' })
  lockedAt: Date;

  @Column('timestamptz', { name: 'completed_at', nullable: true })
  completedAt: Date | null;

  @Column('timestamptz', { name: 'expires_at' })
  expiresAt: Date;
}
