import { randomUUID } from 'node:crypto';
import {
  context,
  defaultTextMapGetter,
  defaultTextMapSetter,
  isSpanContextValid,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  trace,
  TraceFlags,
  type Context,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';

/** The header every Skald message carries its trace context in (W3C Trace Context). */
export const TRACEPARENT_HEADER = 'traceparent';

/** The tracer of the messaging library's own spans (publish, process). */
export const messagingTracer = () => trace.getTracer('@skald/messaging');

// Used when no global propagator is installed (a CLI, a test without the SDK): the traceparent
// header is part of the message contract, not an option of the process that writes it.
const w3c = new W3CTraceContextPropagator();

/** What a publish span says about the message. */
export interface PublishedMessage {
  exchange: string;
  routingKey: string;
  messageId: string;
  correlationId: string;
}

/**
 * The trace headers of a message about to be written: a PRODUCER span (`<routingKey> publish`)
 * is started under the active context and ended at once (the message is created now; the relay
 * sends it later), and its context is injected. Where no span is under way (a scheduler, a
 * sweeper, a CLI) it starts a new trace. Without a tracing SDK (nothing records, the span has no
 * ids) a trace id and span id are generated, so every message still carries a valid `traceparent`.
 */
export function publishTraceHeaders(message: PublishedMessage): Record<string, string> {
  const span = messagingTracer().startSpan(`${message.routingKey} publish`, {
    kind: SpanKind.PRODUCER,
    attributes: {
      'messaging.system': 'rabbitmq',
      'messaging.operation.type': 'create',
      'messaging.destination.name': message.exchange,
      'messaging.rabbitmq.destination.routing_key': message.routingKey,
      'messaging.message.id': message.messageId,
      'messaging.message.conversation_id': message.correlationId,
    },
  });
  span.end();
  const spanContext = span.spanContext();
  const traced = isSpanContextValid(spanContext)
    ? trace.setSpan(context.active(), span)
    : trace.setSpanContext(context.active(), {
        traceId: randomHex(),
        spanId: randomHex().slice(0, 16),
        traceFlags: TraceFlags.NONE,
      });
  const headers: Record<string, string> = {};
  propagation.inject(traced, headers);
  if (!headers[TRACEPARENT_HEADER]) w3c.inject(traced, headers, defaultTextMapSetter);
  return headers;
}

/** The context a received message's `traceparent` (and baggage) continues; the root context if it has none. */
export function extractTraceContext(headers: Record<string, unknown> | undefined): Context {
  const carrier = headers ?? {};
  const extracted = propagation.extract(ROOT_CONTEXT, carrier);
  if (trace.getSpanContext(extracted)) return extracted;
  return w3c.extract(ROOT_CONTEXT, carrier, defaultTextMapGetter);
}

/** 32 random hex digits. randomUUID draws on a buffered entropy pool: far cheaper per call than randomBytes. */
function randomHex(): string {
  return randomUUID().replaceAll('-', '');
}
