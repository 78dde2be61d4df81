import type { IncomingMessage } from 'node:http';
import { context, diag, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { defaultResource, detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  ConsoleSpanExporter,
  NoopSpanProcessor,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  TracerProvider,
  type Sampler,
  type SpanExporter,
} from '@opentelemetry/sdk-trace';
import { ATTR_DB_QUERY_TEXT, ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { UNTRACED_PATHS } from './trace-context.middleware.js';
import type { TracingSettings } from './tracing-settings.js';
import { propagateOverUndici, TRACING_SDK, undiciTraced } from './tracing.js';

/**
 * Starts tracing: W3C trace context (and baggage); when exporting, spans for incoming HTTP
 * (node:http), outgoing node:http requests (the gateway's forwards), outgoing undici calls
 * (notifications' webhooks) and pg queries; without an exporter, traceContextMiddleware and
 * propagateOverUndici carry the trace context instead. The messaging library makes its own spans
 * (publish, process); HttpRouteMiddleware names server spans after their route. All of these patch
 * CommonJS modules (require hooks) or listen on diagnostics channels: no ESM loader hook.
 *
 * Built from the SDK's parts rather than @opentelemetry/sdk-node, which loads every exporter
 * (gRPC, Zipkin, Prometheus, metrics and logs SDKs) into each service: over 10 MB more resident
 * memory per process. The exporter and the instrumentations are loaded only when an exporter is
 * configured.
 */
export async function startTracing(settings: TracingSettings): Promise<TracerProvider> {
  // HTTP and query spans only where they can be recorded. Without an exporter, an incoming
  // request's trace context comes from traceContextMiddleware and goes on with undici's requests by
  // propagateOverUndici (no attributes, response wrapping or timing for spans nobody records,
  // issue #13), and query spans would propagate nothing
  // for about 0.2 ms of CPU per handled message (a wrapper, attributes and a span per query).
  // The gateway forwards with node:http and puts the active context on each request itself (the HTTP
  // instrumentation, when exporting, replaces it with its client span's).
  const instrumentations = settings.exporting ? await recordingInstrumentations() : [];
  const resource = defaultResource()
    .merge(detectResources({ detectors: [envDetector] }))
    .merge(resourceFromAttributes({ [ATTR_SERVICE_NAME]: settings.serviceName }));
  const provider = new TracerProvider(
    settings.exporting
      ? { resource, sampler: samplerFromEnv(process.env), spanProcessors: [batchProcessor(await exporterFromEnv(process.env))] }
      : // No exporter: spans get real ids (propagated, logged) but are not recorded.
        { resource, sampler: new AlwaysOffSampler(), spanProcessors: [new NoopSpanProcessor()] },
  );
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }));
  trace.setGlobalTracerProvider(provider);
  for (const instrumentation of instrumentations) instrumentation.setTracerProvider(provider);
  if (settings.exporting) undiciTraced();
  else propagateOverUndici();
  (globalThis as Record<symbol, unknown>)[TRACING_SDK] = provider;
  return provider;
}

/** OTEL_TRACES_EXPORTER `otlp` (OTEL_EXPORTER_OTLP_PROTOCOL `http/protobuf` or `http/json`) or `console`. */
/**
 * The instrumentations of a process that records spans, loaded only then: without an exporter
 * their modules would hold ≈ 1.1 MB of the heap for nothing (docs/adr/0003-service-runtime.md, Memory).
 */
async function recordingInstrumentations() {
  const [{ UndiciInstrumentation }, { HttpInstrumentation }, { PgInstrumentation }] = await Promise.all([
    import('@opentelemetry/instrumentation-undici'),
    import('@opentelemetry/instrumentation-http'),
    import('@opentelemetry/instrumentation-pg'),
  ]);
  return [
    new UndiciInstrumentation(),
    new HttpInstrumentation({
      ignoreIncomingRequestHook: (request: IncomingMessage) => UNTRACED_PATHS.test(request.url ?? ''),
    }),
    new PgInstrumentation({
      // A pool's housekeeping outside any request or message (relay polls, sweepers) stays untraced.
      requireParentSpan: true,
      requestHook: (span, { query }) => {
        if (span.isRecording() && query.text.includes("'")) span.setAttribute(ATTR_DB_QUERY_TEXT, withoutLiterals(query.text));
      },
    }),
  ];
}

async function exporterFromEnv(env: NodeJS.ProcessEnv): Promise<SpanExporter> {
  const name = (env.OTEL_TRACES_EXPORTER ?? 'otlp').split(',')[0].trim() || 'otlp';
  if (name === 'console') return new ConsoleSpanExporter();
  if (name !== 'otlp') diag.warn(`OTEL_TRACES_EXPORTER=${name} is not supported, exporting with OTLP`);
  const protocol = (env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? env.OTEL_EXPORTER_OTLP_PROTOCOL ?? 'http/protobuf').trim();
  if (protocol === 'http/json') return new (await import('@opentelemetry/exporter-trace-otlp-http')).OTLPTraceExporter();
  if (protocol !== 'http/protobuf') diag.warn(`OTEL_EXPORTER_OTLP_PROTOCOL=${protocol} is not supported, using http/protobuf`);
  return new (await import('@opentelemetry/exporter-trace-otlp-proto')).OTLPTraceExporter();
}

/** A batch processor tuned by the OTEL_BSP_* variables. */
function batchProcessor(exporter: SpanExporter): BatchSpanProcessor {
  const number = (name: string) => {
    const value = Number(process.env[name]);
    return process.env[name] && Number.isFinite(value) && value >= 0 ? value : undefined;
  };
  return new BatchSpanProcessor({
    exporter,
    scheduledDelayMillis: number('OTEL_BSP_SCHEDULE_DELAY'),
    exportTimeoutMillis: number('OTEL_BSP_EXPORT_TIMEOUT'),
    maxQueueSize: number('OTEL_BSP_MAX_QUEUE_SIZE'),
    maxExportBatchSize: number('OTEL_BSP_MAX_EXPORT_BATCH_SIZE'),
  });
}

/** OTEL_TRACES_SAMPLER (and _ARG, the ratio), as the specification names them; default parentbased_always_on. */
export function samplerFromEnv(env: NodeJS.ProcessEnv): Sampler {
  const ratio = Number(env.OTEL_TRACES_SAMPLER_ARG ?? 1);
  const byRatio = () => new TraceIdRatioBasedSampler(Number.isFinite(ratio) ? ratio : 1);
  switch (env.OTEL_TRACES_SAMPLER?.trim()) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return byRatio();
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: byRatio() });
    default:
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
  }
}

/**
 * A query's text with its string literals masked. Queries pass values as parameters, which are not
 * recorded; the outbox's commit is the exception: it inlines its rows (whole envelopes, customers'
 * names and addresses among them) as literals (TransactionOutbox), and they must not reach a trace
 * backend.
 */
export function withoutLiterals(sql: string): string {
  return sql.replace(/'(?:[^']|'')*'/g, "'?'");
}

