import { context, propagation } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';

let installed = false;

/**
 * Installs W3C trace-context propagation and an async context manager, so a `traceparent` that
 * arrives with a message (AMQP header) or request is the parent of everything done while handling
 * it, and travels on with every message written to the outbox. Exporting spans to a collector is
 * the tracing SDK's job, wired where the on-call tracing work adds it; propagation works without it.
 */
export function installTracePropagation(): void {
  if (installed) return;
  installed = true;
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
}
