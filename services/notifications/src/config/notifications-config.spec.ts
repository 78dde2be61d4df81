import { randomBytes } from 'node:crypto';
import { ConfigError, loadConfig } from '@skald/service-kit';
import { NotificationsConfig } from './notifications-config.js';

const base = {
  PORT: '3005',
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/skald_notifications',
  RABBITMQ_URL: 'amqp://guest:guest@127.0.0.1:5672',
  INTERNAL_API_TOKEN: 'internal-token-of-at-least-32-characters',
  WEBHOOK_SECRET_KEY: randomBytes(32).toString('base64'),
};

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig('notifications', NotificationsConfig, { ...base, ...env });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('NotificationsConfig', () => {
  it('starts with no channel configured, with the delivery defaults', () => {
    const config = loadConfig('notifications', NotificationsConfig, base);
    expect(config.SMTP_URL).toBeUndefined();
    expect(config.SMS_PROVIDER_URL).toBeUndefined();
    expect(config).toMatchObject({
      DELIVERY_RETRY_BASE_MS: 2_000,
      DELIVERY_MAX_ATTEMPTS: 8,
      DELIVERY_SEND_TIMEOUT_MS: 10_000,
      WEBHOOK_ALLOW_PRIVATE_NETWORKS: false,
    });
  });

  it('needs WEBHOOK_SECRET_KEY, 32 bytes in base64, and reads WEBHOOK_ALLOW_PRIVATE_NETWORKS as a boolean', () => {
    const { WEBHOOK_SECRET_KEY: _key, ...withoutKey } = base;
    expect(() => loadConfig('notifications', NotificationsConfig, withoutKey)).toThrow(/- WEBHOOK_SECRET_KEY: must be 32 random bytes in base64/);
    expect(problemsOf({ WEBHOOK_SECRET_KEY: randomBytes(16).toString('base64') })).toEqual([expect.stringMatching(/^WEBHOOK_SECRET_KEY: must be 32 random bytes/)]);
    expect(loadConfig('notifications', NotificationsConfig, { ...base, WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' }).WEBHOOK_ALLOW_PRIVATE_NETWORKS).toBe(true);
    expect(problemsOf({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'yes please' })).toEqual([expect.stringMatching(/^WEBHOOK_ALLOW_PRIVATE_NETWORKS: /)]);
  });

  it('names NOTIFY_WAREHOUSE_RECIPIENTS and what is wrong with it', () => {
    const problems = problemsOf({ NOTIFY_WAREHOUSE_RECIPIENTS: 'WH-1=a@x.com;WH-2=bob' });
    expect(problems).toEqual([
      expect.stringMatching(/^NOTIFY_WAREHOUSE_RECIPIENTS: must be WAREHOUSE=address.*"bob" \(warehouse "WH-2"\) is not an e-mail address \(got "WH-1=a@x.com;WH-2=bob"\)$/),
    ]);
    expect(() => loadConfig('notifications', NotificationsConfig, { ...base, NOTIFY_WAREHOUSE_RECIPIENTS: 'WH-1' })).toThrow(
      /Invalid configuration for notifications:\n {2}- NOTIFY_WAREHOUSE_RECIPIENTS: /,
    );
  });

  it('accepts a valid NOTIFY_WAREHOUSE_RECIPIENTS', () => {
    expect(problemsOf({ NOTIFY_WAREHOUSE_RECIPIENTS: 'WH-1=a@x.com,b@x.com;WH-2=c@x.com;*=fallback@x.com' })).toEqual([]);
  });

  it('names NOTIFY_PURCHASING_RECIPIENTS and what is wrong with it', () => {
    expect(problemsOf({ NOTIFY_PURCHASING_RECIPIENTS: 'WH-1=buyer@x.com;;*=purchasing' })).toEqual([
      expect.stringMatching(/^NOTIFY_PURCHASING_RECIPIENTS: must be WAREHOUSE=address.*entry 2 \(""\) must be WAREHOUSE=address/),
    ]);
    expect(problemsOf({ NOTIFY_PURCHASING_RECIPIENTS: '*=purchasing' })).toEqual([
      expect.stringMatching(/^NOTIFY_PURCHASING_RECIPIENTS: .*"purchasing" \(warehouse "\*"\) is not an e-mail address/),
    ]);
    // Each variable is checked on its own: a good one next to a bad one is not blamed.
    expect(
      problemsOf({ NOTIFY_WAREHOUSE_RECIPIENTS: '*=dispatch@x.com', NOTIFY_PURCHASING_RECIPIENTS: 'WH-1=buyer@x.com;WH-1=other@x.com' }),
    ).toEqual([expect.stringMatching(/^NOTIFY_PURCHASING_RECIPIENTS: .*warehouse "WH-1" is listed twice/)]);
  });

  it('accepts a valid NOTIFY_PURCHASING_RECIPIENTS, with the catch-all, and starts without one', () => {
    expect(problemsOf({ NOTIFY_PURCHASING_RECIPIENTS: 'WH-1=buyer@x.com,lead@x.com;*=purchasing@x.com' })).toEqual([]);
    expect(loadConfig('notifications', NotificationsConfig, base).NOTIFY_PURCHASING_RECIPIENTS).toBeUndefined();
  });

  it('wants MAIL_FROM with SMTP_URL, and URLs of the right kind', () => {
    expect(problemsOf({ SMTP_URL: 'smtp://127.0.0.1:2525' })).toEqual([expect.stringMatching(/^MAIL_FROM: must be an address .*\(not set\)$/)]);
    expect(problemsOf({ SMTP_URL: 'smtp://127.0.0.1:2525', MAIL_FROM: 'Shop <orders@shop.example>' })).toEqual([]);
    expect(problemsOf({ SMTP_URL: 'http://mail', MAIL_FROM: 'orders@shop.example', SMS_PROVIDER_URL: 'ftp://sms' })).toEqual([
      expect.stringMatching(/^SMTP_URL: must be a URL starting with smtp:\/\/ or smtps:\/\//),
      expect.stringMatching(/^SMS_PROVIDER_URL: must be a URL starting with http:\/\/ or https:\/\//),
    ]);
  });

  it('refuses a lease no longer than a send may take', () => {
    expect(problemsOf({ DELIVERY_SEND_TIMEOUT_MS: '10000', DELIVERY_LEASE_MS: '10000' })).toEqual([
      expect.stringMatching(/^DELIVERY_LEASE_MS: must be longer than DELIVERY_SEND_TIMEOUT_MS/),
    ]);
  });
});
