import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { AlwaysOffSampler, NoopSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { runInExecutionContext } from '@skald/messaging';
import pino from 'pino';
import { loggerOptions, redactRequestHeaders } from './logging.js';

/** A logger as the services build it, writing its JSON lines into an array. */
function capturingLogger(): { log: pino.Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const log = pino(loggerOptions('orders', 'info'), { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { log, lines };
}

describe('log lines and traces', () => {
  beforeAll(() => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    // As a service without an exporter runs: spans have real ids but are not recorded.
    trace.setGlobalTracerProvider(new TracerProvider({ spanProcessors: [new NoopSpanProcessor()], sampler: new AlwaysOffSampler() }));
  });

  afterAll(() => {
    trace.disable();
    context.disable();
  });

  it('writes the trace id and span id of the active span beside the correlation id', () => {
    const { log, lines } = capturingLogger();
    const span = trace.getTracer('test').startSpan('handle a message');
    context.with(trace.setSpan(context.active(), span), () =>
      runInExecutionContext({ correlationId: 'order-1', messageId: 'message-1' }, () => log.info('reserved')),
    );
    span.end();

    expect(lines[0]).toMatchObject({
      service: 'orders',
      msg: 'reserved',
      correlationId: 'order-1',
      traceId: span.spanContext().traceId,
      spanId: span.spanContext().spanId,
    });
    expect(lines[0].traceId).toMatch(/^(?!0{32})[0-9a-f]{32}$/);
  });

  it('writes no trace fields outside any span', () => {
    const { log, lines } = capturingLogger();
    runInExecutionContext({ correlationId: 'order-2' }, () => log.info('scheduled'));
    expect(lines[0]).toMatchObject({ correlationId: 'order-2' });
    expect(lines[0]).not.toHaveProperty('traceId');
    expect(lines[0]).not.toHaveProperty('spanId');
  });
});

describe('request headers in log lines', () => {
  it("censors the credentials in a copy, leaving the request's own headers as they are", () => {
    const headers = { authorization: 'Bearer sk_secret', 'x-skald-internal-token': 'token', 'x-api-key': 'key', cookie: 'session=1', accept: 'application/json' };
    const serialized = redactRequestHeaders({ method: 'GET', headers });

    expect(serialized.headers).toEqual({
      authorization: '[Redacted]',
      'x-skald-internal-token': '[Redacted]',
      'x-api-key': '[Redacted]',
      cookie: '[Redacted]',
      accept: 'application/json',
    });
    expect(headers.authorization).toBe('Bearer sk_secret');
  });

  it('leaves headers without credentials alone', () => {
    const headers = { accept: 'application/json' };
    expect(redactRequestHeaders({ headers }).headers).toBe(headers);
  });
});
