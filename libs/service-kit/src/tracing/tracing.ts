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
