import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Body, Controller, Get, Module, Post, type DynamicModule, type INestApplication } from '@nestjs/common';
import { trace } from '@opentelemetry/api';
import { AlwaysOffSampler, NoopSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { IsString } from 'class-validator';
import request from 'supertest';
import { SkaldServiceModule } from '../bootstrap/skald-service.module.js';
import { BaseServiceConfig } from '../config/base-service-config.js';
import { INTERNAL_TOKEN_HEADER } from '../http/internal-token.js';
import { startTestServiceApp, waitForLogLine, type TestServiceApp } from '../../test/test-service-app.js';
import { activeTraceIds } from './tracing.js';

const id = randomBytes(4).toString('hex');
const SERVICE = `traced-${id}`;
const INTERNAL_TOKEN = randomBytes(32).toString('base64url');

class NoteDto {
  @IsString()
  text: string;
}

/** Answers the trace ids active in the handler. */
@Controller('v1/traced')
class TracedController {
  @Get()
  read(): object {
    return { ...activeTraceIds() };
  }

  @Post()
  write(@Body() note: NoteDto): object {
    return { ...activeTraceIds(), text: note.text };
  }
}

const logLines: string[] = [];

@Module({})
class TracedAppModule {
  static register(config: BaseServiceConfig): DynamicModule {
    return {
      module: TracedAppModule,
      imports: [SkaldServiceModule.forRoot({ service: SERVICE, config, logDestination: { write: (line: string) => logLines.push(line) } })],
      controllers: [TracedController],
    };
  }
}

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

/**
 * A service without a trace exporter (as the tests, the benchmarks and a deployment without a
 * collector run): no HTTP instrumentation, spans not recorded, yet every request continues the
 * caller's trace (traceContextMiddleware).
 */
describe('trace context of HTTP requests without an exporter (real PostgreSQL and RabbitMQ)', () => {
  let service: TestServiceApp;
  let app: INestApplication;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    // As the SDK runs without an exporter: real ids, nothing recorded.
    trace.setGlobalTracerProvider(new TracerProvider({ sampler: new AlwaysOffSampler(), spanProcessors: [new NoopSpanProcessor()] }));
    service = await startTestServiceApp({
      service: SERVICE,
      description: 'trace context test service',
      module: (config) => TracedAppModule.register(config),
      env: { INTERNAL_API_TOKEN: INTERNAL_TOKEN },
    });
    app = service.app;
    await app.listen(0, '127.0.0.1');
  });

  afterAll(async () => {
    await service?.close();
    trace.disable();
  });

  const requestLine = (correlationId: string) =>
    waitForLogLine(logLines, `the request log line of ${correlationId}`, (entry) => entry.msg === 'request completed' && (entry.req as { id?: string } | undefined)?.id === correlationId);

  it("continues the caller's traceparent in a server span of its own: the handler and the request's log line see its trace id", async () => {
    const caller = { traceId: hex(16), spanId: hex(8) };
    const correlationId = `traced-${hex(4)}`;
    const res = await http()
      .get('/v1/traced')
      .set(INTERNAL_TOKEN_HEADER, INTERNAL_TOKEN)
      .set('x-correlation-id', correlationId)
      .set('traceparent', `00-${caller.traceId}-${caller.spanId}-01`);

    expect(res.status).toBe(200);
    expect(res.body.traceId).toBe(caller.traceId);
    expect(res.body.spanId).toMatch(/^(?!0{16})[0-9a-f]{16}$/);
    expect(res.body.spanId).not.toBe(caller.spanId);
    expect(await requestLine(correlationId)).toMatchObject({ traceId: caller.traceId, spanId: res.body.spanId });
  });

  it('keeps the trace context past a body that arrives after the headers: a POST handler runs in it', async () => {
    const caller = { traceId: hex(16), spanId: hex(8) };
    const body = JSON.stringify({ text: 'read in events of its own' });
    // Expect: 100-continue holds the body back until the service has taken the request, so the
    // body reaches it in socket reads of their own (a large or slow body does), not with the headers.
    const answer = await new Promise<{ status: number; body: Record<string, unknown> }>((resolve, reject) => {
      const { port } = app.getHttpServer().address() as AddressInfo;
      const req = httpRequest({
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/v1/traced',
        headers: {
          [INTERNAL_TOKEN_HEADER]: INTERNAL_TOKEN,
          traceparent: `00-${caller.traceId}-${caller.spanId}-00`,
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(body)),
          expect: '100-continue',
        },
      });
      req.on('continue', () => req.end(body));
      req.on('error', reject);
      req.on('response', (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> }));
      });
      req.flushHeaders();
    });

    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({ traceId: caller.traceId, text: 'read in events of its own' });
  });

  it('starts a trace of its own for a request without a traceparent, one per request', async () => {
    const first = await http().get('/v1/traced').set(INTERNAL_TOKEN_HEADER, INTERNAL_TOKEN);
    const second = await http().get('/v1/traced').set(INTERNAL_TOKEN_HEADER, INTERNAL_TOKEN);

    expect(first.body.traceId).toMatch(/^(?!0{32})[0-9a-f]{32}$/);
    expect(second.body.traceId).toMatch(/^(?!0{32})[0-9a-f]{32}$/);
    expect(second.body.traceId).not.toBe(first.body.traceId);
  });
});
