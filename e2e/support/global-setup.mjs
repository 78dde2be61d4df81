// Starts the six services once for every e2e file: each with its own fresh database, all on a
// RabbitMQ vhost of this run's own, wired to each other (the gateway to the services) and to the
// outside world the tests play: an SMTP server and an SMS provider on ports reserved here, which
// the test files listen on (e2e files run one at a time). They share an INTERNAL_API_TOKEN made
// for this run (tests that call a service directly, as the gateway does, send it). Each service
// runs as its own PostgreSQL role and RabbitMQ user with exactly its permissions (least privilege,
// service-accounts.mjs); the tests' own queries and broker probes use the administrators'.
import { randomBytes } from 'node:crypto';
import { createTestVhost } from '@skald/testing';
import { freePort, gatewayUpstreams, startSuite, SERVICES } from '../../scripts/lib/suite.mjs';
import { GATEWAY_LIMITS_OFF, PURCHASING_RECIPIENTS, RABBITMQ_URL, RESERVATION_HOLD_SECONDS, serviceEnv, WAREHOUSE_RECIPIENTS } from './environment.mjs';
import { createServiceAccounts } from './service-accounts.mjs';
import { publishSuiteState } from './suite-state.mjs';

export default async function globalSetup() {
  const vhost = await createTestVhost('e2e', RABBITMQ_URL);
  const { accounts, remove: removeAccounts } = await createServiceAccounts(vhost.url);
  const ports = Object.fromEntries(await Promise.all(SERVICES.map(async ({ name }) => [name, await freePort()])));
  const outside = { smtp: await freePort(), sms: await freePort() };
  const url = (name) => `http://127.0.0.1:${ports[name]}`;
  // The tests' webhook receivers listen on 127.0.0.1: the suite lifts the public-internet rule.
  // Gateway and notifications share this run's key for the signing secrets.
  const webhooks = { WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true', WEBHOOK_SECRET_KEY: randomBytes(32).toString('base64') };
  const extra = {
    gateway: {
      ...gatewayUpstreams(url),
      ...webhooks,
      ...GATEWAY_LIMITS_OFF,
    },
    // Deadlines and holds come due within a test: the saga scheduler and the expiry sweeper look often.
    orders: { SAGA_SCHEDULER_INTERVAL_MS: '200' },
    inventory: { RESERVATION_SWEEP_INTERVAL_MS: '200', RESERVATION_HOLD_SECONDS: String(RESERVATION_HOLD_SECONDS) },
    notifications: {
      SMTP_URL: `smtp://127.0.0.1:${outside.smtp}`,
      MAIL_FROM: 'Skald <noreply@skald.test>',
      SMS_PROVIDER_URL: `http://127.0.0.1:${outside.sms}/messages`,
      NOTIFY_WAREHOUSE_RECIPIENTS: WAREHOUSE_RECIPIENTS,
      NOTIFY_PURCHASING_RECIPIENTS: PURCHASING_RECIPIENTS,
      DELIVERY_RETRY_BASE_MS: '200',
      ...webhooks,
    },
  };
  const databases = {};
  const suite = await startSuite(async (name) => {
    const own = { DATABASE_URL: accounts[name].databaseUrl, RABBITMQ_URL: accounts[name].rabbitmqUrl };
    databases[name] = accounts[name].adminDatabaseUrl;
    return serviceEnv(name, { ...own, PORT: String(ports[name]), ...(extra[name] ?? {}) });
  });
  globalThis.skaldSuite = { suite, removeVhost: vhost.remove, removeAccounts };
  publishSuiteState({ urls: suite.urls, databases, rabbitmqUrl: vhost.url, ports: outside, internalToken: suite.internalToken, accounts });
}
