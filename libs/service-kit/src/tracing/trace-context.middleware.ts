import type { IncomingMessage, ServerResponse } from 'node:http';
import { context, propagation, ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';

/** Probes and scrapes: a span each would bury the traces anyone looks for. */
export const UNTRACED_PATHS = /^\/(health|metrics)(\/|\?|$)/;

/**
 * Continues the caller's trace for an HTTP request that no HTTP instrumentation traced: the
 * `traceparent` it came with (W3C Trace Context, and baggage) is the parent of a server span
 * that is active for the rest of the request, so that its log lines carry the trace's ids, the
 * calls it makes with undici send them on (propagateOverUndici) and the messages it publishes carry
 * them (Outbox). Without a `traceparent` the request starts a trace of its own.
 *
 * A service without a trace exporter records no span: `@opentelemetry/instrumentation-http` would
 * then work out a span's attributes, wrap the response and time it for nothing, on every request
 * (issue #13). So the SDK installs it only when it exports
 * (see startTracing), and this middleware, first in the HTTP stack, gives the other requests
 * their trace context; a request the instrumentation traced already has its span and passes.
 */
export function traceContextMiddleware(): (req: IncomingMessage, res: ServerResponse, next: () => void) => void {
  const tracer = trace.getTracer('@skald/service-kit');
  return (req, res, next) => {
    if (trace.getSpan(context.active()) !== undefined || UNTRACED_PATHS.test(req.url ?? '')) return next();
    const parent = propagation.extract(ROOT_CONTEXT, req.headers);
    const span = tracer.startSpan(req.method ?? 'HTTP', { kind: SpanKind.SERVER }, parent);
    if (span.isRecording()) res.once('close', () => span.end());
    // The body parser hands the body on in the context it was called in (raw-body binds its
    // callback), and the response's `finish` follows the write made in it: no emitter to wrap.
    context.with(trace.setSpan(parent, span), next);
  };
}
