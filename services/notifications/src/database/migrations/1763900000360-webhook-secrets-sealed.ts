import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Signing secrets are stored sealed (AES-256-GCM under WEBHOOK_SECRET_KEY), and a rotated-out
 * secret keeps signing until it expires. `secret` keeps only what older versions stored in plain
 * text, until the service seals it at start (it needs the key, which a migration does not have).
 */
export class WebhookSecretsSealed1763900000360 implements MigrationInterface {
  name = 'WebhookSecretsSealed1763900000360';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE webhook_subscription
        ALTER COLUMN secret DROP NOT NULL,
        ADD COLUMN encrypted_secret text,
        ADD COLUMN previous_encrypted_secret text,
        ADD COLUMN previous_secret_expires_at timestamptz,
        ADD CONSTRAINT webhook_subscription_has_secret CHECK (encrypted_secret IS NOT NULL OR secret IS NOT NULL)`);
  }

  // `secret` stays nullable: rows stored sealed have no plain text to put back.
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE webhook_subscription
        DROP CONSTRAINT webhook_subscription_has_secret,
        DROP COLUMN previous_secret_expires_at,
        DROP COLUMN previous_encrypted_secret,
        DROP COLUMN encrypted_secret`);
  }
}
