import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every notifications replica caches each tenant's webhook subscriptions it has read and forgets a
 * tenant's when told they changed (the gateway's API-key cache, ADR 7, does the same). Triggers tell
 * them, whoever changed the rows — the subscription handlers, the sealing of plain secrets at start,
 * an operator's SQL — with a NOTIFY on `skald_webhook_subscription_changes`
 * (WEBHOOK_SUBSCRIPTION_CHANGES_CHANNEL; spelt out here, as a migration must not change when the
 * code does), delivered when the transaction commits:
 * - `tenant:<id>`: a subscription of the tenant was inserted, updated or deleted (a row moved to
 *   another tenant names both);
 * - `*`: webhook_subscription was truncated.
 */
export class WebhookSubscriptionChangeNotifications1765300000000 implements MigrationInterface {
  name = 'WebhookSubscriptionChangeNotifications1765300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION webhook_subscription_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'TRUNCATE' THEN
          PERFORM pg_notify('skald_webhook_subscription_changes', '*');
          RETURN NULL;
        END IF;
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
          PERFORM pg_notify('skald_webhook_subscription_changes', 'tenant:' || OLD.tenant_id);
        END IF;
        IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.tenant_id <> OLD.tenant_id) THEN
          PERFORM pg_notify('skald_webhook_subscription_changes', 'tenant:' || NEW.tenant_id);
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER webhook_subscription_changed AFTER INSERT OR UPDATE OR DELETE ON webhook_subscription
        FOR EACH ROW EXECUTE FUNCTION webhook_subscription_notify_change()`);
    await q.query(`
      CREATE TRIGGER webhook_subscription_truncated AFTER TRUNCATE ON webhook_subscription
        FOR EACH STATEMENT EXECUTE FUNCTION webhook_subscription_notify_change()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER webhook_subscription_truncated ON webhook_subscription`);
    await q.query(`DROP TRIGGER webhook_subscription_changed ON webhook_subscription`);
    await q.query(`DROP FUNCTION webhook_subscription_notify_change()`);
  }
}
