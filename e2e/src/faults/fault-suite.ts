import { randomBytes } from 'node:crypto';
import { dropDatabase } from '@skald/persistence';
import { createTestVhost, TestSmsProvider, TestSmtpServer, TestWebhookReceiver, vhostAdmin, vhostOf, waitFor, type TestVhost } from '@skald/testing';
import amqplib from 'amqplib';
import pg from 'pg';
import { freePort, gatewayUpstreams, newInternalToken, SERVICES, startService, waitUntilReady } from '../../../scripts/lib/suite.mjs';
import { GATEWAY_LIMITS_OFF, POSTGRES_SERVER, PURCHASING_RECIPIENTS, RABBITMQ_URL, serviceEnv, WAREHOUSE_RECIPIENTS } from '../../support/environment.mjs';
import type { SuiteTarget } from '../../support/suite-state.mjs';

type Started = ReturnType<typeof startService>;

/**
 * The six services started by a test for itself (not the shared e2e suite, which a test file
 * cannot kill), with the outside world they talk to, and the faults it can inflict on them:
 * SIGKILL and restart of one service (same port, database and vhost), every broker connection
 * of its vhost closed, every connection to its databases terminated.
 */
export class FaultSuite implements SuiteTarget {
  readonly smtp = new TestSmtpServer();
  readonly sms = new TestSmsProvider();
  readonly webhooks = new TestWebhookReceiver();
  /** Every error or fatal log line of the services, with the service's name (a fault's traces). */
  readonly errorLines: string[] = [];
  urls: Record<string, string> = {};
  databases: Record<string, string> = {};
  private readonly envs: Record<string, Record<string, string>> = {};
  private readonly running = new Map<string, Started>();
  /** The last log lines of each service (shown when one dies under a fault). */
  private readonly recentLines = new Map<string, string[]>();
  private vhost?: TestVhost;

  /** @param env added to every service's environment (e.g. a trace exporter) */
  constructor(private readonly env: Record<string, string> = {}) {}

  /** The suite's own RabbitMQ vhost, for probes. */
  get rabbitmqUrl(): string {
    return this.started.url;
  }

  async start(): Promise<this> {
    this.vhost = await createTestVhost('faults', RABBITMQ_URL);
    await this.smtp.start(await freePort());
    await this.sms.start(await freePort());
    await this.webhooks.start();
    const ports = Object.fromEntries(await Promise.all(SERVICES.map(async ({ name }) => [name, await freePort()] as const)));
    const url = (name: string) => `http://127.0.0.1:${ports[name]}`;
    // As the shared suite: one internal token and one webhook sealing key for all, receivers on 127.0.0.1.
    const shared = { INTERNAL_API_TOKEN: newInternalToken() };
    const webhooks = { WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true', WEBHOOK_SECRET_KEY: randomBytes(32).toString('base64') };
    const extra: Record<string, Record<string, string>> = {
      gateway: { ...gatewayUpstreams(url), ...webhooks, ...GATEWAY_LIMITS_OFF },
      // Backorder deadlines come due within the test.
      orders: { SAGA_SCHEDULER_INTERVAL_MS: '200' },
      notifications: {
        SMTP_URL: `smtp://127.0.0.1:${this.smtp.address().port}`,
        MAIL_FROM: 'Skald <noreply@skald.test>',
        SMS_PROVIDER_URL: `http://127.0.0.1:${this.sms.address().port}/messages`,
        NOTIFY_WAREHOUSE_RECIPIENTS: WAREHOUSE_RECIPIENTS,
        NOTIFY_PURCHASING_RECIPIENTS: PURCHASING_RECIPIENTS,
        DELIVERY_RETRY_BASE_MS: '200',
        // A delivery claimed when notifications is killed is sent again once its lease ends (2 min
        // by default): short here, so the test sees it (longer than DELIVERY_SEND_TIMEOUT_MS, 10 s).
        DELIVERY_LEASE_MS: '15000',
        ...webhooks,
      },
    };
    for (const { name } of SERVICES) {
      this.envs[name] = await serviceEnv(name, {
        RABBITMQ_URL: this.vhost.url,
        PORT: String(ports[name]),
        // Small pools: this suite runs beside the shared e2e suite on one PostgreSQL (100 connections by default).
        DATABASE_POOL_SIZE: '4',
        MESSAGING_PREFETCH: '4',
        ...shared,
        ...(extra[name] ?? {}),
        ...this.env,
      });
      this.databases[name] = this.envs[name].DATABASE_URL;
      this.urls[name] = url(name);
    }
    await Promise.all(SERVICES.map(({ name }) => this.launch(name)));
    return this;
  }

  /** SIGKILL: no shutdown hook runs, whatever was in flight is cut off. Then the same service again. */
  async killAndRestart(name: string): Promise<void> {
    const service = this.running.get(name);
    if (!service) throw new Error(`${name} is not running`);
    service.child.kill('SIGKILL');
    const exit = await service.exited;
    if (exit.signal !== 'SIGKILL') throw new Error(`${name} ended by ${JSON.stringify(exit)} before the SIGKILL`);
    await this.launch(name);
  }

  /** Closes every client connection of the suite's vhost; resolves once every service is ready again. */
  async closeBrokerConnections(): Promise<number> {
    const admin = await vhostAdmin(RABBITMQ_URL);
    // One connection per service; the management API lists a new one only after a few seconds.
    await waitFor('every service connected to the broker', async () => ((await admin.connections(this.vhostName)).length >= SERVICES.length ? true : undefined), 30_000);
    const closed = await admin.closeConnections(this.vhostName);
    await this.allReady();
    return closed;
  }

  /** Terminates every backend connected to the six databases; resolves once every service is ready again. */
  async terminateDatabaseConnections(): Promise<number> {
    const client = new pg.Client({ connectionString: `${POSTGRES_SERVER}/postgres` });
    await client.connect();
    try {
      const { rows } = await client.query<{ n: number }>(
        'SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE datname = ANY($1) AND pid <> pg_backend_pid()',
        [Object.values(this.databases).map((url) => new URL(url).pathname.slice(1))],
      );
      await this.allReady();
      return rows[0].n;
    } finally {
      await client.end();
    }
  }

  /** Messages in each dead-letter queue of the vhost and in the unrouted queue. */
  async parkedMessages(): Promise<Record<string, number>> {
    const names = (await (await vhostAdmin(RABBITMQ_URL)).queues(this.vhostName)).map((q) => q.name).filter((name) => name.endsWith('.dlq') || name === 'skald.unrouted');
    const connection = await amqplib.connect(this.started.url);
    try {
      const channel = await connection.createChannel();
      const counts: Record<string, number> = {};
      for (const name of names.sort()) counts[name] = (await channel.checkQueue(name)).messageCount;
      return counts;
    } finally {
      await connection.close();
    }
  }

  async stop(): Promise<void> {
    await Promise.all(
      [...this.running.values()].map(async (service) => {
        if (service.child.exitCode === null && service.child.signalCode === null) service.child.kill('SIGTERM');
        await service.exited;
      }),
    );
    this.running.clear();
    await Promise.all([this.smtp.stop(), this.sms.stop(), this.webhooks.stop()]);
    for (const url of Object.values(this.databases)) await dropDatabase(url);
    await this.vhost?.remove();
  }

  private get started(): TestVhost {
    if (!this.vhost) throw new Error('the fault suite is not started');
    return this.vhost;
  }

  private get vhostName(): string {
    return vhostOf(this.started.url);
  }

  private async launch(name: string): Promise<void> {
    const recent: string[] = [];
    this.recentLines.set(name, recent);
    const service = startService(name, this.envs[name], {
      onLine: (line) => {
        recent.push(line);
        if (recent.length > 80) recent.shift();
        if (/"level":"(error|fatal)"/.test(line)) this.errorLines.push(`${name}: ${logMessage(line)}`);
      },
    });
    this.running.set(name, service);
    await service.ready;
  }

  /** Every service ready again; one that died instead is named with its last log lines. */
  private async allReady(): Promise<void> {
    await Promise.all(
      [...this.running].map(([name, service]) =>
        waitUntilReady(service.url, 60_000, service.exited).catch((error: Error) => {
          throw new Error(`${name}: ${error.message}\n${(this.recentLines.get(name) ?? []).join('\n')}`);
        }),
      ),
    );
  }
}

/** What a JSON log line says went wrong: its message and its error's, without the request. */
function logMessage(line: string): string {
  try {
    const entry = JSON.parse(line) as { msg?: string; err?: { type?: string; message?: string; code?: string } };
    return [entry.msg, entry.err && `${entry.err.type ?? 'Error'}${entry.err.code ? ` ${entry.err.code}` : ''}: ${entry.err.message}`].filter(Boolean).join(' — ');
  } catch {
    return line.slice(0, 300);
  }
}
