// Starts the six services once for every e2e file: each with its own fresh database, all on a
// RabbitMQ vhost of this run's own, wired to each other (the gateway to the services) and to the
// outside world the tests play: an SMTP server and an SMS provider on ports reserved here, which
// the test files listen on (e2e files run one at a time). They share an INTERNAL_API_TOKEN made
// for this run (tests that call a service directly, as the gateway does, send it). Each service
// runs as its own PostgreSQL role and RabbitMQ user with exactly its permissions (least privilege,
// service-accounts.mjs); the tests' own queries and broker probes use the administrators'.
//
// With SKALD_E2E_REPLICAS=n (or the replicas config, jest.replicas.config.cjs), n processes of every
// service, gateway included, each on its own port and all of a service's on its one database and
// queues; in front of each service a round-robin balancer (as a Kubernetes Service would be), which
// is what the gateway's upstream URLs and the tests' `urls` point at. `replicas` has each process's URL.
import { randomBytes } from 'node:crypto';
import { createTestVhost } from '@skald/testing';
import { freePort, gatewayUpstreams, startSuite, SERVICES } from '../../scripts/lib/suite.mjs';
import { GATEWAY_LIMITS_OFF, PURCHASING_RECIPIENTS, RABBITMQ_URL, RESERVATION_HOLD_SECONDS, serviceEnv, WAREHOUSE_RECIPIENTS } from './environment.mjs';
import { createServiceAccounts } from './service-accounts.mjs';
import { startBalancer } from './round-robin-balancer.mjs';
import { publishSuiteState } from './suite-state.mjs';

export default function globalSetup() {
  return startE2eSuite({ replicas: Number(process.env.SKALD_E2E_REPLICAS ?? 1) });
}

/** @param {{ replicas: number }} options */
export async function startE2eSuite({ replicas }) {
  const vhost = await createTestVhost('e2e', RABBITMQ_URL);
  const { accounts, remove: removeAccounts } = await createServiceAccounts(vhost.url);
  // Where each service is reached: its one process, or the balancer in front of its replicas.
  const ports = Object.fromEntries(await Promise.all(SERVICES.map(async ({ name }) => [name, await freePort()])));
  const replicaPorts = Object.fromEntries(
    await Promise.all(SERVICES.map(async ({ name }) => [name, replicas > 1 ? await Promise.all(Array.from({ length: replicas }, freePort)) : [ports[name]]])),
  );
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
  // Replicas share the PostgreSQL server's 100 connections too: smaller pools, each replica taking
  // half the requests and messages. A burst of 50 orders then queues for those connections on a
  // busy 2-core machine longer than the 3 s default allows (503s): they may wait up to 10 s.
  const pools = replicas > 1 ? { DATABASE_POOL_SIZE: '4', MESSAGING_PREFETCH: '4', DATABASE_CONNECT_TIMEOUT_MS: '10000' } : {};
  // A service's replicas share its environment (account, database, queues) but for their ports.
  const envs = Object.fromEntries(
    await Promise.all(
      SERVICES.map(async ({ name }) => {
        const own = { DATABASE_URL: accounts[name].databaseUrl, RABBITMQ_URL: accounts[name].rabbitmqUrl };
        return [name, await serviceEnv(name, { ...own, ...pools, ...(extra[name] ?? {}) })];
      }),
    ),
  );
  const databases = Object.fromEntries(SERVICES.map(({ name }) => [name, accounts[name].adminDatabaseUrl]));
  const balancers =
    replicas > 1 ? await Promise.all(SERVICES.map(({ name }) => startBalancer(name, replicaPorts[name].map((port) => `http://127.0.0.1:${port}`), ports[name]))) : [];
  let suite;
  const starting = Date.now();
  try {
    // The suite starts beside every other project's tests (npm test), which boot services of their
    // own on the same two cores: six processes may take well over the 60 s a lone start is given,
    // and twice the processes longer still. A process that exits fails the start at once anyway.
    const timeoutMs = replicas > 1 ? 180_000 : 120_000;
    suite = await startSuite((name, _port, replica) => ({ ...envs[name], PORT: String(replicaPorts[name][replica]) }), { replicas, timeoutMs });
  } catch (error) {
    // What the start made is removed here: the run's cleanup finds its vhost and databases by tag,
    // but not the service accounts' PostgreSQL roles and RabbitMQ users.
    await Promise.all(balancers.map((b) => b.close()));
    await removeAccounts().catch(() => undefined);
    await vhost.remove().catch(() => undefined);
    throw error;
  }
  process.stdout.write(`\ne2e suite: ${replicas} × six services ready in ${((Date.now() - starting) / 1000).toFixed(1)} s\n`);
  globalThis.skaldSuite = { suite, balancers, removeVhost: vhost.remove, removeAccounts };
  const urls = Object.fromEntries(SERVICES.map(({ name }) => [name, url(name)]));
  publishSuiteState({ urls, replicas: suite.replicaUrls, databases, rabbitmqUrl: vhost.url, ports: outside, internalToken: suite.internalToken, accounts });
}
