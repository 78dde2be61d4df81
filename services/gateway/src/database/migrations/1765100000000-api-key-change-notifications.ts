import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every gateway replica caches the API keys it has looked up and forgets one when told it changed
 * (ADR 7). Triggers tell them, whoever changed the row — `key revoke`, a gateway, an operator's
 * SQL — with a NOTIFY on `skald_api_key_changes` (API_KEY_CHANGES_CHANNEL; spelt out here, as a
 * migration must not change when the code does), delivered when the transaction commits:
 * - `key:<id>`: a key was updated (anything but `last_used_at`, which the gateways write
 *   themselves at most once a minute) or deleted;
 * - `platform:<id>`: a platform's rate limit changed (its keys' cached limit with it);
 * - `*`: api_key was truncated.
 */
export class ApiKeyChangeNotifications1765100000000 implements MigrationInterface {
  name = 'ApiKeyChangeNotifications1765100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION api_key_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'TRUNCATE' THEN
          PERFORM pg_notify('skald_api_key_changes', '*');
        ELSE
          PERFORM pg_notify('skald_api_key_changes', 'key:' || OLD.id);
          IF TG_OP = 'UPDATE' AND NEW.id <> OLD.id THEN
            PERFORM pg_notify('skald_api_key_changes', 'key:' || NEW.id);
          END IF;
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER api_key_changed AFTER UPDATE ON api_key FOR EACH ROW
        WHEN ((to_jsonb(OLD) - 'last_used_at') IS DISTINCT FROM (to_jsonb(NEW) - 'last_used_at'))
        EXECUTE FUNCTION api_key_notify_change()`);
    await q.query(`CREATE TRIGGER api_key_deleted AFTER DELETE ON api_key FOR EACH ROW EXECUTE FUNCTION api_key_notify_change()`);
    await q.query(`CREATE TRIGGER api_key_truncated AFTER TRUNCATE ON api_key FOR EACH STATEMENT EXECUTE FUNCTION api_key_notify_change()`);
    await q.query(`
      CREATE FUNCTION platform_notify_rate_limit_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('skald_api_key_changes', 'platform:' || OLD.id);
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER platform_rate_limit_changed AFTER UPDATE ON platform FOR EACH ROW
        WHEN (OLD.rate_limit_per_second IS DISTINCT FROM NEW.rate_limit_per_second OR OLD.id IS DISTINCT FROM NEW.id)
        EXECUTE FUNCTION platform_notify_rate_limit_change()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER platform_rate_limit_changed ON platform`);
    await q.query(`DROP FUNCTION platform_notify_rate_limit_change()`);
    await q.query(`DROP TRIGGER api_key_truncated ON api_key`);
    await q.query(`DROP TRIGGER api_key_deleted ON api_key`);
    await q.query(`DROP TRIGGER api_key_changed ON api_key`);
    await q.query(`DROP FUNCTION api_key_notify_change()`);
  }
}
