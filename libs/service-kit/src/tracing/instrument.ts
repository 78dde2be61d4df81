/**
 * Starts OpenTelemetry tracing (the SDK) before a service's code loads:
 *
 *     node --import @skald/service-kit/instrument dist/main.js
 *
 * It must run before the application loads pg and node:http, so the instrumentations can patch
 * them; hence `--import`, not an import in main.ts (ESM hoists imports above any call).
 *
 * Configured by the standard variables (OTEL_SERVICE_NAME, OTEL_EXPORTER_OTLP_ENDPOINT,
 * OTEL_EXPORTER_OTLP_PROTOCOL, OTEL_TRACES_EXPORTER, OTEL_TRACES_SAMPLER, OTEL_RESOURCE_ATTRIBUTES…;
 * see the README, *Operating a service*). Only traces: metrics stay on /metrics (Prometheus),
 * logs on stdout.
 */
import { tracingSettings } from './tracing-settings.js';

const settings = tracingSettings(process.env, process.argv[1]);
if (settings) {
  const { startTracing } = await import('./sdk.js');
  await startTracing(settings);
}
