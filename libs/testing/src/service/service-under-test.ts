import { randomBytes, randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { AmqpConnection, createTestVhost, MessageConsumer, type TestVhost } from '@skald/messaging';
import { createScratchDatabase, type ScratchDatabase } from '@skald/persistence';
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

export interface ServiceUnderTest<C extends BaseServiceConfig> {
  app: INestApplication;
  config: C;
  dataSource: DataSource;
  databaseUrl: string;
  rabbitmqUrl: string;
  /** The internal token the service accepts (the first one, during a rotation), as the gateway sends it. */
  internalToken: string;
  /**
   * supertest against the service's HTTP server. Every request carries the internal token, as
   * calls from the gateway do (the gateway itself, the public edge, is called without it);
   * `.unset(CALLER_HEADERS.token)` or `.set(CALLER_HEADERS.token, …)` plays someone else.
   */
  http(): ReturnType<typeof request>;
  close(): Promise<void>;
}

/** A fresh internal token, as `npm start` makes one per run. */
export const newInternalToken = (): string => randomBytes(32).toString('base64url');

/**
 * Boots one service in-process, as `runService` would, on a scratch database and a vhost of its
 * own: migrations applied, HTTP ready (no port), consumer bound and consuming. It gets an
 * INTERNAL_API_TOKEN of its own unless `env` sets one.
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
      INTERNAL_API_TOKEN: newInternalToken(),
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
      internalToken: config.INTERNAL_API_TOKEN[0],
      http: () => {
        const agent = request.agent(started.getHttpServer());
        return spec.publicEdge ? agent : agent.set(CALLER_HEADERS.token, config.INTERNAL_API_TOKEN[0]);
      },
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

/** Caller headers for internal API calls in tests (`http()` adds the internal token). */
export const asPlatform = (tenantId: string, principalId = `key-${tenantId}`): Record<string, string> =>
  callerHeaders({ kind: 'platform', principalId, tenantId, roles: [] } satisfies Caller);

export const asStaff = (roles: Caller['roles'], principalId = 'staff-key'): Record<string, string> =>
  callerHeaders({ kind: 'staff', principalId, tenantId: null, roles } satisfies Caller);

/** The idempotency key header the gateway sends with a state-changing call (a fresh key unless given). */
export const anIdempotencyKey = (key = `staff:staff-key:${randomUUID()}`): Record<string, string> => ({ [CALLER_HEADERS.idempotencyKey]: key });
