/**
 * Starts the OpenTelemetry Node SDK before a service's code loads:
 *
 *     node --import @skald/service-kit/instrument dist/main.js
 *
 * It must run before the application imports Express, pg or undici, so the instrumentations can
 * patch them; hence `--import`, not an import in main.ts (ESM hoists imports above any call).
 *
 * Configured by the standard variables (OTEL_SERVICE_NAME, OTEL_EXPORTER_OTLP_ENDPOINT,
 * OTEL_EXPORTER_OTLP_PROTOCOL, OTEL_TRACES_EXPORTER, OTEL_TRACES_SAMPLER, OTEL_RESOURCE_ATTRIBUTES…;
 * see docs/adr/0003-service-runtime.md). Only traces: metrics stay on /metrics (Prometheus) and
 * logs on stdout, so OTEL_METRICS_EXPORTER and OTEL_LOGS_EXPORTER default to `none` here.
 */
import { register } from 'node:module';
import { createAddHookMessageChannel } from 'import-in-the-middle';
import { tracingSettings } from './tracing-settings.js';

const settings = tracingSettings(process.env, process.argv[1]);
if (settings) {
  Object.assign(process.env, settings.env);
  // ESM modules (and CommonJS ones imported from ESM, such as express from @nestjs/platform-express)
  // are patched through this loader hook; the message channel limits it to the modules the
  // instrumentations name, so every other import loads untouched.
  const { registerOptions, waitForAllMessagesAcknowledged } = createAddHookMessageChannel();
  register('import-in-the-middle/hook.mjs', import.meta.url, registerOptions);
  const { startTracing } = await import('./sdk.js');
  startTracing(settings);
  await waitForAllMessagesAcknowledged();
}
