import { OrderStatusChangedV1, WebhookSubscriptionDeletedV1, type WebhookSubscriptionCreated } from '@skald/contracts';
import { postgresDataSourceOptions, withDatabase } from '@skald/persistence';
import { TestWebhookReceiver, waitFor } from '@skald/testing';
import { DataSource } from 'typeorm';
import { aStatusChange, aSubscription } from '../../test/factories.js';
import { deliveriesOfOrder, startNotifications, subscribe, type DeliveryRow, type NotificationsHarness } from '../../test/notifications-harness.js';
import { WebhookSubscriptionCache } from './webhook-subscription-cache.js';

const cacheOf = (h: NotificationsHarness) => h.service.app.get(WebhookSubscriptionCache);

/**
 * Publishes a status change of a fresh order of `tenantId` to one instance and waits until it was
 * handled (its e-mail planned: no channel is configured, so it waits as pending); its deliveries.
 */
async function statusChangeThrough(h: NotificationsHarness, tenantId: string): Promise<DeliveryRow[]> {
  const change = aStatusChange();
  h.probe.publish(OrderStatusChangedV1, change, { tenantId });
  return waitFor(`the status change of ${change.orderId} handled`, async () => {
    const rows = await deliveriesOfOrder(h, change.orderId);
    return rows.some((row) => row.channel === 'email') ? rows : undefined;
  });
}

const webhooksTo = (rows: DeliveryRow[], subscriptionId: string) => rows.filter((row) => row.channel === 'webhook' && row.target === subscriptionId);

/** Waits, from now, at most a second for both instances to forget the tenant's cached subscriptions. */
const forgottenWithinASecond = (instances: NotificationsHarness[], tenantId: string) =>
  waitFor(`every instance forgetting ${tenantId}'s subscriptions`, () => instances.every((h) => !cacheOf(h).has(tenantId)), 1_000);

describe("each tenant's webhook subscriptions cached by every notifications instance, changes pushed by LISTEN/NOTIFY (two instances on one database; real PostgreSQL and RabbitMQ)", () => {
  let first: NotificationsHarness;
  let second: NotificationsHarness;
  let both: NotificationsHarness[];
  /** Another client of the instances' database: an operator's psql. */
  let operator: DataSource;
  /** The server's maintenance database (a database cannot refuse connections to itself). */
  let maintenance: DataSource;
  let databaseName: string;
  const receivers: TestWebhookReceiver[] = [];

  /** A subscription (to every event unless `events` says otherwise) at a receiver of its own, not stored yet. */
  async function aReceivingSubscription(events?: string[]): Promise<WebhookSubscriptionCreated> {
    const receiver = new TestWebhookReceiver();
    receivers.push(receiver);
    const url = (await receiver.start()).url;
    const subscription = aSubscription({ url, ...(events ? { events } : {}) });
    receiver.useSecret(subscription.secret);
    return subscription;
  }

  /** The same, stored through the first instance. */
  async function aSubscriptionStored(events?: string[]): Promise<WebhookSubscriptionCreated> {
    const subscription = await aReceivingSubscription(events);
    await subscribe(first, subscription);
    return subscription;
  }

  beforeAll(async () => {
    first = await startNotifications({ channels: false });
    // The same database (and WEBHOOK_SECRET_KEY) on a broker vhost of its own: messages sent to one instance reach only that one.
    second = await startNotifications({ channels: false, env: { DATABASE_URL: first.service.databaseUrl, WEBHOOK_SECRET_KEY: first.service.config.WEBHOOK_SECRET_KEY } });
    both = [first, second];
    operator = new DataSource(postgresDataSourceOptions({ url: first.service.databaseUrl, applicationName: 'operator-psql', poolSize: 2 }));
    maintenance = new DataSource(postgresDataSourceOptions({ url: withDatabase(first.service.databaseUrl, 'postgres'), applicationName: 'subscription-cache-spec', poolSize: 1 }));
    await Promise.all([operator.initialize(), maintenance.initialize()]);
    databaseName = new URL(first.service.databaseUrl).pathname.slice(1);
  });

  afterAll(async () => {
    await maintenance?.query(`ALTER DATABASE "${databaseName}" ALLOW_CONNECTIONS true`).catch(() => undefined);
    await maintenance?.destroy();
    await operator?.destroy();
    await second?.close();
    await first?.close();
    await Promise.all(receivers.map((receiver) => receiver.stop()));
  });

  it('a subscription stored through one instance is used by the other (which had cached none for the tenant) within a second', async () => {
    const subscription = await aReceivingSubscription();
    // The second instance has read (and cached) that the tenant has no subscription.
    expect(webhooksTo(await statusChangeThrough(second, subscription.tenantId), subscription.subscriptionId)).toEqual([]);
    expect(cacheOf(second).has(subscription.tenantId)).toBe(true);

    await subscribe(first, subscription);
    await forgottenWithinASecond(both, subscription.tenantId);

    expect(webhooksTo(await statusChangeThrough(second, subscription.tenantId), subscription.subscriptionId)).toHaveLength(1);
    expect(cacheOf(second).has(subscription.tenantId)).toBe(true);
  });

  it('a subscription deleted through one instance is no longer used by the other within a second', async () => {
    const subscription = await aSubscriptionStored();
    for (const h of both) expect(webhooksTo(await statusChangeThrough(h, subscription.tenantId), subscription.subscriptionId)).toHaveLength(1);
    expect(both.map((h) => cacheOf(h).has(subscription.tenantId))).toEqual([true, true]);

    first.probe.publish(WebhookSubscriptionDeletedV1, { subscriptionId: subscription.subscriptionId, tenantId: subscription.tenantId }, { tenantId: subscription.tenantId });
    await waitFor('the subscription deleted', async () => ((await operator.query(`SELECT 1 FROM webhook_subscription WHERE id = $1`, [subscription.subscriptionId])) as unknown[]).length === 0);
    await forgottenWithinASecond(both, subscription.tenantId);

    for (const h of both) expect(webhooksTo(await statusChangeThrough(h, subscription.tenantId), subscription.subscriptionId)).toEqual([]);
  });

  it("a subscription changed by plain SQL from another connection (an operator) is seen by both instances within a second; another tenant's stays cached", async () => {
    const subscription = await aSubscriptionStored();
    const other = await aSubscriptionStored();
    for (const h of both) for (const { tenantId } of [subscription, other]) await statusChangeThrough(h, tenantId);

    await operator.query(`UPDATE webhook_subscription SET events = '{order.delivered}' WHERE id = $1`, [subscription.subscriptionId]);
    await forgottenWithinASecond(both, subscription.tenantId);

    expect(both.map((h) => cacheOf(h).has(other.tenantId))).toEqual([true, true]);
    for (const h of both) expect(webhooksTo(await statusChangeThrough(h, subscription.tenantId), subscription.subscriptionId)).toEqual([]);
  });

  it("sends no statement to read a cached tenant's subscriptions: with webhook_subscription locked against every reader, its status changes are planned, while an uncached tenant's waits", async () => {
    // Subscribed to deliveries only: the shipped statuses below plan no webhook, whose sending would read the table too.
    const cached = await aSubscriptionStored(['order.delivered']);
    const uncached = await aSubscriptionStored(['order.delivered']);
    await statusChangeThrough(first, cached.tenantId);

    const lock = operator.createQueryRunner();
    await lock.connect();
    try {
      await lock.startTransaction();
      await lock.query(`LOCK TABLE webhook_subscription IN ACCESS EXCLUSIVE MODE`);
      // The control: a status change whose handler reads webhook_subscription waits for the lock.
      const waiting = statusChangeThrough(first, uncached.tenantId);
      await waitFor("the uncached tenant's read waiting on the lock", async () => {
        const [{ n }] = await operator.query(`SELECT count(*)::int AS n FROM pg_locks WHERE relation = 'webhook_subscription'::regclass AND NOT granted`);
        return n > 0;
      });

      const planned = await Promise.all(Array.from({ length: 5 }, () => statusChangeThrough(first, cached.tenantId)));
      expect(planned.map((rows) => webhooksTo(rows, cached.subscriptionId).length)).toEqual([0, 0, 0, 0, 0]);

      await lock.commitTransaction();
      expect(webhooksTo(await waiting, uncached.subscriptionId)).toEqual([]);
    } finally {
      if (lock.isTransactionActive) await lock.rollbackTransaction();
      await lock.release();
    }
  });

  it('while its LISTEN connection is down keeps nothing, so a subscription deleted meanwhile is not used; once it listens again it caches again', async () => {
    const subscription = await aSubscriptionStored();
    for (const h of both) await statusChangeThrough(h, subscription.tenantId);

    // The listeners' connections end and cannot come back until the database accepts connections again
    // (the instances' pooled connections stay).
    await maintenance.query(`ALTER DATABASE "${databaseName}" ALLOW_CONNECTIONS false`);
    try {
      await operator.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND application_name = 'notifications-listener'`, [
        databaseName,
      ]);
      await waitFor('both instances noticing the lost LISTEN connection', () => both.every((h) => !cacheOf(h).active));
      expect(both.map((h) => cacheOf(h).has(subscription.tenantId))).toEqual([false, false]);

      // Nobody hears this NOTIFY.
      await operator.query(`DELETE FROM webhook_subscription WHERE id = $1`, [subscription.subscriptionId]);

      for (const h of both) expect(webhooksTo(await statusChangeThrough(h, subscription.tenantId), subscription.subscriptionId)).toEqual([]);
      expect(both.map((h) => cacheOf(h).has(subscription.tenantId))).toEqual([false, false]);
      // Still down: the answers above came from the database, not from a notification.
      expect(both.map((h) => cacheOf(h).active)).toEqual([false, false]);
    } finally {
      await maintenance.query(`ALTER DATABASE "${databaseName}" ALLOW_CONNECTIONS true`);
    }

    await waitFor('both instances listening again', () => both.every((h) => cacheOf(h).active));
    const again = await aSubscriptionStored();
    await statusChangeThrough(second, again.tenantId);
    expect(cacheOf(second).has(again.tenantId)).toBe(true);
  });
});
