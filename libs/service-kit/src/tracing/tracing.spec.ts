import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { context, trace } from '@opentelemetry/api';
import { installTracePropagation, propagateOverUndici, undiciTraced } from './tracing.js';

describe('trace context on undici requests without the SDK instrumentation (propagateOverUndici)', () => {
  let server: Server;
  let url: string;
  const received: IncomingHttpHeaders[] = [];
  const spanContext = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: 1 };

  beforeAll(async () => {
    server = createServer((req, res) => {
      received.push(req.headers);
      res.end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    installTracePropagation();
    propagateOverUndici(); // again: subscribes once
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  /** The headers the server got for one fetch (Node's fetch is undici) made inside the span. */
  async function sentInSpan(): Promise<IncomingHttpHeaders> {
    await context.with(trace.setSpanContext(context.active(), spanContext), () => fetch(url).then((res) => res.text()));
    return received[received.length - 1];
  }

  it('sends the active span as one traceparent, and none once the SDK says it instruments undici itself (even if it says so later)', async () => {
    const before = await sentInSpan();
    undiciTraced();
    const after = await sentInSpan();

    expect(before.traceparent).toBe(`00-${spanContext.traceId}-${spanContext.spanId}-01`);
    expect(after.traceparent).toBeUndefined();
  });
});
