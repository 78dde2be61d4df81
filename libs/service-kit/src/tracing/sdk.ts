import type { IncomingMessage } from 'node:http';
import { ExpressInstrumentation, ExpressLayerType } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { AlwaysOffSampler, NoopSpanProcessor } from '@opentelemetry/sdk-trace';
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
      // A pool's housekeeping outside any request or message (relay polls, sweepers) stays untraced.
      new PgInstrumentation({ requireParentSpan: true }),
      new UndiciInstrumentation(),
    ],
    // No exporter: spans get real ids (propagated, logged) but are not recorded.
    ...(settings.exporting ? {} : { spanProcessors: [new NoopSpanProcessor()], sampler: new AlwaysOffSampler() }),
  });
  sdk.start();
  (globalThis as Record<symbol, unknown>)[TRACING_SDK] = sdk;
  return sdk;
}
