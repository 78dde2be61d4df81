import type { IncomingMessage } from 'node:http';
import { ExpressInstrumentation, ExpressLayerType } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { AlwaysOffSampler, NoopSpanProcessor } from '@opentelemetry/sdk-trace';
import { ATTR_DB_QUERY_TEXT } from '@opentelemetry/semantic-conventions';
import type { TracingSettings } from './tracing-settings.js';
import { TRACING_SDK } from './tracing.js';


/** Probes and scrapes: a span each would bury the traces anyone looks for. */
const UNTRACED_PATHS = /^\/(health|metrics)(\/|\?|$)/;

/**
 * Starts the Node SDK: W3C trace context, spans for incoming and outgoing HTTP (node:http and
 * undici, which the gateway forwards with), Express routing (Nest's HTTP platform) and pg queries.
 * The messaging library makes its own spans (publish, process). There is no Nest instrumentation:
 * @opentelemetry/instrumentation-nestjs-core supports @nestjs/core below 12; the Express request
 * handler span names the route instead.
 */
export function startTracing(settings: TracingSettings): NodeSDK {
  const sdk = new NodeSDK({
    serviceName: settings.serviceName,
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (request: IncomingMessage) => UNTRACED_PATHS.test(request.url ?? ''),
      }),
      // Only routers and handlers: a span per middleware (body parser, CORS…) is noise and cost.
      new ExpressInstrumentation({ ignoreLayersType: [ExpressLayerType.MIDDLEWARE] }),
      new PgInstrumentation({
        // A pool's housekeeping outside any request or message (relay polls, sweepers) stays untraced.
        requireParentSpan: true,
        requestHook: (span, { query }) => {
          if (span.isRecording() && query.text.includes("'")) span.setAttribute(ATTR_DB_QUERY_TEXT, withoutLiterals(query.text));
        },
      }),
      new UndiciInstrumentation(),
    ],
    // No exporter: spans get real ids (propagated, logged) but are not recorded.
    ...(settings.exporting ? {} : { spanProcessors: [new NoopSpanProcessor()], sampler: new AlwaysOffSampler() }),
  });
  sdk.start();
  (globalThis as Record<symbol, unknown>)[TRACING_SDK] = sdk;
  return sdk;
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
