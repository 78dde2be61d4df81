import { randomBytes } from 'node:crypto';
import { Controller, Get, Module, Post, type DynamicModule, type INestApplication } from '@nestjs/common';
import request from 'supertest';
import { SkaldServiceModule } from '../bootstrap/skald-service.module.js';
import { BaseServiceConfig } from '../config/base-service-config.js';
import { startTestServiceApp, waitForLogLine, type TestServiceApp } from '../../test/test-service-app.js';
import { Access, callerHeaders, CALLER_HEADERS, CurrentCaller, type Caller } from './caller.js';

const id = randomBytes(4).toString('hex');
const SERVICE = `trust-${id}`;
const token = () => randomBytes(32).toString('base64url');
const NEW_TOKEN = token();
const OLD_TOKEN = token();

/** What the routes were asked to do: a refused request must never get here. */
const reached: string[] = [];

@Controller('v1/things')
class ThingsController {
  @Post()
  @Access({ roles: ['admin'] })
  create(@CurrentCaller() caller: Caller): { caller: Caller } {
    reached.push('create');
    return { caller };
  }

  /** A route that forgot `@Access`: the boundary must close it all the same. */
  @Get('open')
  open(): { open: true } {
    reached.push('open');
    return { open: true };
  }
}

const logLines: string[] = [];

@Module({})
class TrustAppModule {
  static register(config: BaseServiceConfig): DynamicModule {
    return {
      module: TrustAppModule,
      imports: [SkaldServiceModule.forRoot({ service: SERVICE, config, logDestination: { write: (line: string) => logLines.push(line) } })],
      controllers: [ThingsController],
    };
  }
}

/** Someone on the network who claims to be the gateway calling for an administrator. */
const forgedAdmin = callerHeaders({ kind: 'staff', principalId: 'mallory', tenantId: null, roles: ['admin'] });

describe('the internal trust boundary: only callers with INTERNAL_API_TOKEN reach a service (real PostgreSQL and RabbitMQ)', () => {
  let service: TestServiceApp;
  let app: INestApplication;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    service = await startTestServiceApp({
      service: SERVICE,
      description: 'trust boundary test service',
      module: (config) => TrustAppModule.register(config),
      // A rotation in progress: the new token first, the old one still accepted.
      env: { INTERNAL_API_TOKEN: `${NEW_TOKEN},${OLD_TOKEN}` },
    });
    app = service.app;
    await app.init();
  });

  afterAll(async () => {
    await service?.close();
  });

  const waitForLog = (what: string, match: (entry: Record<string, unknown>) => boolean) => waitForLogLine(logLines, what, match);

  it('refuses a forged administrator with no token, a wrong one, or one of the right length: the same 401 each time, and nothing runs', async () => {
    const sameLength = NEW_TOKEN.slice(0, -1) + (NEW_TOKEN.endsWith('A') ? 'B' : 'A');
    const attempts = [
      http().post('/v1/things').set(forgedAdmin),
      http().post('/v1/things').set(forgedAdmin).set(CALLER_HEADERS.token, 'gateway'),
      http().post('/v1/things').set(forgedAdmin).set(CALLER_HEADERS.token, ''),
      http().post('/v1/things').set(forgedAdmin).set(CALLER_HEADERS.token, sameLength),
      http().post('/v1/things').set(forgedAdmin).set(CALLER_HEADERS.token, `${NEW_TOKEN},${OLD_TOKEN}`),
      http().post('/v1/things').set(forgedAdmin).set(CALLER_HEADERS.token, NEW_TOKEN.toUpperCase()),
    ];

    for (const res of await Promise.all(attempts)) {
      expect(res.status).toBe(401);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toEqual({
        type: 'https://skald.dev/problems/unauthenticated',
        title: 'Unauthorized',
        status: 401,
        code: 'UNAUTHENTICATED',
        detail: 'Internal API: unknown caller.',
        instance: '/v1/things',
      });
    }
    expect(reached).toEqual([]);

    const genuine = await http().post('/v1/things').set(forgedAdmin).set(CALLER_HEADERS.token, NEW_TOKEN);
    expect(genuine.status).toBe(201);
    expect(genuine.body.caller).toMatchObject({ kind: 'staff', principalId: 'mallory', roles: ['admin'] });
  });

  it('closes every route, not only those with @Access: a route without it, an unknown path and the API docs', async () => {
    for (const path of ['/v1/things/open', '/no-such-route', '/docs', '/docs-json', '/docs-yaml']) {
      const refused = await http().get(path);
      expect({ path, status: refused.status, code: refused.body.code }).toEqual({ path, status: 401, code: 'UNAUTHENTICATED' });
    }
    expect(reached).not.toContain('open');

    expect((await http().get('/v1/things/open').set(CALLER_HEADERS.token, NEW_TOKEN)).status).toBe(200);
    expect((await http().get('/no-such-route').set(CALLER_HEADERS.token, NEW_TOKEN)).status).toBe(404);
    expect((await http().get('/docs').set(CALLER_HEADERS.token, NEW_TOKEN)).text).toContain('swagger-ui');
    const docs = await http().get('/docs-json').set(CALLER_HEADERS.token, NEW_TOKEN);
    expect(docs.body.info.title).toBe(`Skald ${SERVICE}`);
  });

  it('leaves the probes and the metrics open (GET only), which carry no secrets', async () => {
    for (const path of ['/health/live', '/health/ready', '/metrics', '/metrics?name[]=x']) {
      expect({ path, status: (await http().get(path)).status }).toEqual({ path, status: 200 });
    }
    expect((await http().post('/metrics')).status).toBe(401);
    expect((await http().get('/health/live/../../v1/things/open')).status).toBe(401);
  });

  it('accepts the new and the old token during a rotation, and no other', async () => {
    expect((await http().post('/v1/things').set(forgedAdmin).set(CALLER_HEADERS.token, NEW_TOKEN)).status).toBe(201);
    expect((await http().post('/v1/things').set(forgedAdmin).set(CALLER_HEADERS.token, OLD_TOKEN)).status).toBe(201);
    expect((await http().post('/v1/things').set(forgedAdmin).set(CALLER_HEADERS.token, token())).status).toBe(401);
  });

  it('never writes a token or a key into a log line: request headers are redacted, a refused call is logged without it', async () => {
    const correlationId = `trust-${randomBytes(4).toString('hex')}`;
    const apiKey = `sk_test_${randomBytes(16).toString('hex')}`;
    const res = await http()
      .get('/v1/things/open')
      .set(CALLER_HEADERS.token, OLD_TOKEN)
      .set('authorization', `Bearer ${apiKey}`)
      .set('x-api-key', apiKey)
      .set('x-correlation-id', correlationId);
    expect(res.status).toBe(200);
    const wrong = token();
    const refused = await http().get('/v1/things/open').set(CALLER_HEADERS.token, wrong).set('x-correlation-id', `${correlationId}-refused`);
    expect(refused.status).toBe(401);
    expect(refused.headers['x-correlation-id']).toBe(`${correlationId}-refused`);

    const completed = await waitForLog('request completed', (entry) => (entry.req as { id?: string } | undefined)?.id === correlationId);
    expect((completed.req as { headers: Record<string, string> }).headers).toMatchObject({
      [CALLER_HEADERS.token]: '[Redacted]',
      authorization: '[Redacted]',
      'x-api-key': '[Redacted]',
    });
    const warning = await waitForLog('refused call', (entry) => (entry.refused as { correlationId?: string } | undefined)?.correlationId === `${correlationId}-refused`);
    expect(warning).toMatchObject({ level: 'warn', refused: { method: 'GET', path: '/v1/things/open' } });
    expect(String(warning.msg)).toContain('internal call refused');

    const everything = logLines.join('\n');
    for (const secret of [NEW_TOKEN, OLD_TOKEN, wrong, apiKey]) expect(everything).not.toContain(secret);
  });
});
