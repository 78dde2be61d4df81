import { randomBytes } from 'node:crypto';
import { WebhookSubscriptionCreatedV2, type MessageDefinition, type MessageEnvelope, type WebhookSubscriptionCreated } from '@skald/contracts';
import { MessageConsumer } from '@skald/messaging';
import { parseSecretKey, sealSecret } from '@skald/service-kit';
import { BrokerProbe, startServiceUnderTest, TestSmsProvider, TestSmtpServer, waitFor, type ServiceUnderTest } from '@skald/testing';
import type { NotificationsConfig } from '../src/config/notifications-config.js';
import { service } from '../src/service.js';

export const SMS_TOKEN = 'test-sms-token-123';

export interface NotificationsHarness {
  service: ServiceUnderTest<NotificationsConfig>;
  probe: BrokerProbe;
  smtp?: TestSmtpServer;
  sms?: TestSmsProvider;
  /** Waits until the service dead-lettered the message (invalid payload, no handler, …). */
  deadLettered(message: MessageEnvelope): Promise<DeadLetterEvent>;
  close(): Promise<void>;
}

/** What the consumer reports when it dead-letters a message. */
export interface DeadLetterEvent {
  reason: string;
  detail: string;
  messageId: string;
}

/**
 * The notifications service on its own database and vhost, with a local SMTP server and SMS provider
 * (unless `channels: false`), quick back-off and polling, a WEBHOOK_SECRET_KEY of its own, and
 * WEBHOOK_ALLOW_PRIVATE_NETWORKS (the test receivers listen on 127.0.0.1; `env` turns it off for
 * the tests of that rule).
 */
export async function startNotifications(options: { channels?: boolean; env?: Record<string, string> } = {}): Promise<NotificationsHarness> {
  const withChannels = options.channels ?? true;
  const smtp = withChannels ? new TestSmtpServer() : undefined;
  const sms = withChannels ? new TestSmsProvider({ token: SMS_TOKEN }) : undefined;
  const channelEnv: Record<string, string> = {};
  if (smtp) {
    channelEnv.SMTP_URL = (await smtp.start()).url;
    channelEnv.MAIL_FROM = 'Skald Shop <orders@shop.example>';
  }
  if (sms) {
    channelEnv.SMS_PROVIDER_URL = (await sms.start()).url;
    channelEnv.SMS_PROVIDER_TOKEN = SMS_TOKEN;
  }
  const started = await startServiceUnderTest(service, {
    DELIVERY_RETRY_BASE_MS: '200',
    DELIVERY_POLL_INTERVAL_MS: '50',
    DELIVERY_SEND_TIMEOUT_MS: '5000',
    DELIVERY_LEASE_MS: '10000',
    WEBHOOK_SECRET_KEY: randomBytes(32).toString('base64'),
    WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
    ...channelEnv,
    ...options.env,
  });
  const probe = await new BrokerProbe(started.rabbitmqUrl).start();
  const deadLetters: DeadLetterEvent[] = [];
  started.app.get(MessageConsumer).on('dead-lettered', (event: DeadLetterEvent) => deadLetters.push(event));
  return {
    service: started,
    probe,
    smtp,
    sms,
    deadLettered: (message) => waitFor(`message ${message.id} dead-lettered`, () => deadLetters.find((letter) => letter.messageId === message.id)),
    close: async () => {
      await probe.stop();
      await started.close();
      await smtp?.stop();
      await sms?.stop();
    },
  };
}

/** Seals a secret for the service under test, as the gateway does (its WEBHOOK_SECRET_KEY, the subscription id). */
export function sealFor(harness: NotificationsHarness, secret: string, subscriptionId: string): string {
  return sealSecret(parseSecretKey(harness.service.config.WEBHOOK_SECRET_KEY), secret, subscriptionId);
}

/**
 * Publishes a subscription as the gateway would (WebhookSubscriptionCreated v2, the secret sealed)
 * and waits until the service stored it.
 */
export async function subscribe(harness: NotificationsHarness, subscription: WebhookSubscriptionCreated): Promise<void> {
  const { secret, ...announced } = subscription;
  harness.probe.publish(
    WebhookSubscriptionCreatedV2,
    { ...announced, encryptedSecret: sealFor(harness, secret, subscription.subscriptionId) },
    { tenantId: subscription.tenantId },
  );
  await waitFor(`subscription ${subscription.subscriptionId} stored`, async () => {
    const rows: unknown[] = await harness.service.dataSource.query(`SELECT 1 FROM webhook_subscription WHERE id = $1`, [subscription.subscriptionId]);
    return rows.length === 1;
  });
}

export interface DeliveryRow {
  id: string;
  source_message_id: string;
  channel: 'email' | 'sms' | 'webhook';
  target: string;
  topic: string;
  tenant_id: string | null;
  order_id: string | null;
  payload: Record<string, unknown>;
  status: string;
  attempts: number;
  next_attempt_at: Date | null;
  last_error: string | null;
  sent_at: Date | null;
}

export interface AttemptRow {
  delivery_id: string;
  attempt: number;
  at: Date;
  duration_ms: number | null;
  outcome: string;
  detail: string | null;
  retry_at: Date | null;
}

export function deliveriesOfOrder(harness: NotificationsHarness, orderId: string): Promise<DeliveryRow[]> {
  return harness.service.dataSource.query(`SELECT * FROM delivery WHERE order_id = $1 ORDER BY channel, target, topic`, [orderId]);
}

export function attemptsOf(harness: NotificationsHarness, deliveryId: string): Promise<AttemptRow[]> {
  return harness.service.dataSource.query(`SELECT * FROM delivery_attempt WHERE delivery_id = $1 ORDER BY attempt`, [deliveryId]);
}

/** Waits until every delivery of the order has left `pending`/`sending` and there are `count` of them. */
export function settledDeliveries(harness: NotificationsHarness, orderId: string, count: number, timeoutMs = 15_000): Promise<DeliveryRow[]> {
  return waitFor(
    `${count} settled deliveries of ${orderId}`,
    async () => {
      const rows = await deliveriesOfOrder(harness, orderId);
      return rows.length === count && rows.every((row) => row.status === 'sent' || row.status === 'failed') ? rows : undefined;
    },
    timeoutMs,
  );
}

/** How many messages of a type the service's inbox recognised as duplicates so far (its metrics). */
export async function duplicateCount(harness: NotificationsHarness, definition: MessageDefinition): Promise<number> {
  const res = await harness.service.http().get('/metrics');
  const line = (res.text as string)
    .split('\n')
    .find((l) => l.startsWith('skald_messages_consumed_total{') && l.includes(`routing_key="${definition.routingKey}"`) && l.includes('outcome="duplicate"'));
  return line ? Number(line.split(' ').pop()) : 0;
}
