import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An idempotency record may be in progress with nobody holding it (no lock token): its request
 * reached, or may have reached, the owning service, whose answer never came back (timeout, reset,
 * 5xx). The key stays bound to that request; the same request takes it over and forwards again.
 */
export class IdempotencyOutcomeUnknown1765041200000 implements MigrationInterface {
  name = 'IdempotencyOutcomeUnknown1765041200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE idempotency_record ALTER COLUMN lock_token DROP NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE idempotency_record SET lock_token = gen_random_uuid() WHERE lock_token IS NULL`);
    await q.query(`ALTER TABLE idempotency_record ALTER COLUMN lock_token SET NOT NULL`);
  }
}
