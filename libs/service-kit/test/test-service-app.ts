import type { DynamicModule, INestApplication } from '@nestjs/common';
import { deadLetterQueueName, mainQueueName, messagingMigrations, retryQueueName } from '@skald/messaging';
import { createScratchDatabase, type ScratchDatabase } from '@skald/persistence';
import amqplib from 'amqplib';
import { createServiceApp, prepareDatabase } from '../src/bootstrap/run-service.js';
import { BaseServiceConfig } from '../src/config/base-service-config.js';
import { loadConfig } from '../src/config/load-config.js';

const RABBITMQ_URL = process.env.TEST_RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
/** The one retry delay of a test service: its retry queue's name (removed by close). */
const RETRY_DELAY_MS = 50;

export interface TestServiceApp {
  app: INestApplication;
  /** Closes the app, removes the service's queues from the broker and drops its database. */
  close(): Promise<void>;
}

/**
 * A Nest application of a test module, built as a service's (createServiceApp: the HTTP stack, the
 * trust boundary, the message transport), on a scratch database of its own with the messaging
 * tables, not yet listening. `env` adds to or overrides its configuration.
 */
export async function startTestServiceApp(options: {
  service: string;
  description: string;
  module: (config: BaseServiceConfig) => DynamicModule;
  env?: Record<string, string>;
}): Promise<TestServiceApp> {
  const { service } = options;
  const spec = { service, description: options.description, defaultPort: 0, config: BaseServiceConfig, migrations: messagingMigrations, module: options.module };
  const database: ScratchDatabase = await createScratchDatabase(service.replace(/[^a-z0-9]/g, '_'));
  let app: INestApplication | undefined;
  const close = async () => {
    await app?.close();
    const connection = await amqplib.connect(RABBITMQ_URL);
    const channel = await connection.createChannel();
    for (const queue of [mainQueueName(service), deadLetterQueueName(service), retryQueueName(service, RETRY_DELAY_MS)]) {
      await channel.deleteQueue(queue).catch(() => undefined);
    }
    await connection.close();
    await database.drop();
  };
  try {
    await prepareDatabase(service, database.url, spec.migrations);
    const config = loadConfig(service, BaseServiceConfig, {
      DATABASE_URL: database.url,
      RABBITMQ_URL,
      PORT: '0',
      LOG_LEVEL: 'info',
      MESSAGING_RETRY_DELAYS_MS: String(RETRY_DELAY_MS),
      ...options.env,
    });
    app = await createServiceApp(spec, config);
    return { app, close };
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }
}

/** The first JSON log line among `lines` (a test module's logDestination) that `match`es, waited for up to 10 s. */
export async function waitForLogLine(lines: readonly string[], what: string, match: (entry: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const found = lines.map((line) => JSON.parse(line) as Record<string, unknown>).find(match);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for the log line: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
