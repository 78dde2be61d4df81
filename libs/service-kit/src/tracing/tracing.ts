import { subscribe } from 'node:diagnostics_channel';
import { context, isSpanContextValid, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';

let installed = false;

/** Where `--import @skald/service-kit/instrument` keeps the SDK it started (a global: the import runs before any module of the app). */
export const TRACING_SDK = Symbol.for('skald.tracing.sdk');

/**
 * Installs W3C trace-context propagation and an async context manager where the tracing SDK does
 * not run (tests, CLIs), so a `traceparent` that arrives with a message is the parent of everything
 * done while handling it. In a service started with `--import @skald/service-kit/instrument` the
 * SDK has installed both already, and this changes nothing (the API keeps the first registration).
 */
export function installTracePropagation(): void {
  if (installed) return;
  installed = true;
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  propagateOverUndici();
}

/** Set once propagateOverUndici subscribed (once per process, whichever copy of this module does). */
const UNDICI_PROPAGATION = Symbol.for('skald.tracing.undici-propagation');
/** Set when the SDK's undici instrumentation propagates the trace context itself (undiciTraced). */
const UNDICI_TRACED = Symbol.for('skald.tracing.undici-traced');

interface UndiciRequest {
  addHeader?(name: string, value: string): unknown;
  headers?: unknown;
}

/**
 * Sends the active trace context (`traceparent`, and baggage) with every request made with undici
 * (the gateway's forwards, webhooks) where @opentelemetry/instrumentation-undici does not: in a
 * service that exports no spans, in tests and CLIs. The instrumentation would also make a client
 * span per request, with its attributes and timing, that nobody records (issue #13); here the
 * request carries the span that is active when it is made (the request's server span, a
 * message handler's). Subscribes once per process; adds nothing where the SDK instruments undici (`undiciTraced`).
 */
export function propagateOverUndici(): void {
  const global = globalThis as Record<symbol, unknown>;
  if (global[UNDICI_PROPAGATION]) return;
  global[UNDICI_PROPAGATION] = true;
  subscribe('undici:request:create', (message) => {
    // Asked per request, not at subscription: the SDK may start after this subscribed (a CLI, a test),
    // and two traceparent headers would be one too many.
    if (global[UNDICI_TRACED]) return;
    const { request } = message as { request: UndiciRequest };
    const carrier: Record<string, string> = {};
    propagation.inject(context.active(), carrier);
    for (const [name, value] of Object.entries(carrier)) {
      if (typeof request.addHeader === 'function') request.addHeader(name, value);
      else if (Array.isArray(request.headers)) request.headers.push(name, value);
      else if (typeof request.headers === 'string') request.headers += `${name}: ${value}\r\n`;
    }
  });
}

/** Says that the SDK's undici instrumentation propagates the trace context (propagateOverUndici then adds nothing). */
export function undiciTraced(): void {
  (globalThis as Record<symbol, unknown>)[UNDICI_TRACED] = true;
}

/** The ids of the active span, for log lines; undefined outside any span. */
export function activeTraceIds(): { traceId: string; spanId: string } | undefined {
  const spanContext = trace.getSpan(context.active())?.spanContext();
  if (!spanContext || !isSpanContextValid(spanContext)) return undefined;
  return { traceId: spanContext.traceId, spanId: spanContext.spanId };
}

/**
 * Exports the spans still buffered and stops the tracing SDK, if this process runs one: the last
 * step of a graceful shutdown, so the spans of the final requests are not lost with the process.
 * Waits at most `timeoutMs`: an unreachable collector must not turn a clean stop into a failed one.
 * @returns false when the spans could not be flushed in time
 */
export async function shutdownTracing(timeoutMs = 3_000): Promise<boolean> {
  const sdk = (globalThis as Record<symbol, { shutdown(): Promise<void> } | undefined>)[TRACING_SDK];
  if (!sdk) return true;
  let timer: NodeJS.Timeout | undefined;
  const gaveUp = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([sdk.shutdown().then(() => true), gaveUp]);
  } finally {
    clearTimeout(timer);
  }
}
