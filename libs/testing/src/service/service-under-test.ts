import type { INestApplication } from '@nestjs/common';
import { AmqpConnection, MessageConsumer } from '@skald/messaging';
import { createScratchDatabase, type ScratchDatabase } from '@skald/persistence';
import { randomUUID } from 'node:crypto';
import {
  CALLER_HEADERS,
  callerHeaders,
  createServiceApp,
  loadConfig,
  prepareDatabase,
  type BaseServiceConfig,
  type Caller,
  type ServiceSpec,
} from '@skald/service-kit';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createTestVhost, type TestVhost } from '../broker/test-vhost.js';

export interface ServiceUnderTest<C extends BaseServiceConfig> {
  app: INestApplication;
  config: C;
  dataSource: DataSource;
  databaseUrl: string;
  rabbitmqUrl: string;
  /** supertest against the service's HTTP server. */
  http(): ReturnType<typeof request>;
  close(): Promise<void>;
}

/**
 * Boots one service in-process, as `runService` would, on a scratch database and a vhost of its
 * own: migrations applied, HTTP ready (no port), consumer bound and consuming.
 */
export async function startServiceUnderTest<C extends BaseServiceConfig>(
  spec: ServiceSpec<C>,
  env: Record<string, string> = {},
): Promise<ServiceUnderTest<C>> {
  let database: ScratchDatabase | undefined;
  let vhost: TestVhost | undefined;
  let app: INestApplication | undefined;
  try {
    database = await createScratchDatabase(`svc_${spec.service}`);
    vhost = await createTestVhost(spec.service);
    const config = loadConfig(spec.service, spec.config, {
      PORT: '0',
      DATABASE_URL: database.url,
      RABBITMQ_URL: vhost.url,
      LOG_LEVEL: process.env.TEST_LOGS ? 'info' : 'error',
      MESSAGING_RETRY_DELAYS_MS: '50,200',
      ...env,
    });
    await prepareDatabase(spec.service, database.url, spec.migrations);
    app = await createServiceApp(spec, config);
    await app.startAllMicroservices();
    await app.init();
    await app.get(AmqpConnection).waitForConnect(15_000);
    await app.get(MessageConsumer).waitUntilConsuming();
    const started = app;
    const db = database;
    const vh = vhost;
    return {
      app: started,
      config,
      dataSource: started.get(DataSource),
      databaseUrl: db.url,
      rabbitmqUrl: vh.url,
      http: () => request(started.getHttpServer()),
      close: async () => {
        await started.close();
        await vh.remove();
        await db.drop();
      },
    };
  } catch (error) {
    await app?.close().catch(() => undefined);
    await vhost?.remove();
    await database?.drop();
    throw error;
  }
}

/** Caller headers for internal API calls in tests. */
export const asPlatform = (tenantId: string, principalId = `key-${tenantId}`): Record<string, string> =>
  callerHeaders({ kind: 'platform', principalId, tenantId, roles: [] } satisfies Caller);

export const asStaff = (roles: Caller['roles'], principalId = 'staff-key'): Record<string, string> =>
  callerHeaders({ kind: 'staff', principalId, tenantId: null, roles } satisfies Caller);

/** The idempotency key header the gateway sends with a state-changing call (a fresh key unless given). */
export const anIdempotencyKey = (key = `staff:staff-key:${randomUUID()}`): Record<string, string> => ({ [CALLER_HEADERS.idempotencyKey]: key });
