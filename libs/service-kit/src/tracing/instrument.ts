/**
 * Prepares a service process before its code loads, and starts OpenTelemetry tracing (the SDK):
 *
 *     node --import @skald/service-kit/instrument dist/main.js
 *
 * It must run before the application loads pg and node:http, so the instrumentations can patch
 * them; hence `--import`, not an import in main.ts (ESM hoists imports above any call). For the
 * same reason it is where module hooks keep modules no service uses from loading: TypeORM's
 * drivers other than PostgreSQL's (@skald/persistence's typeorm-drivers), Node's internal undici
 * behind an ESM import of node:http, the part of es-toolkit @nestjs/swagger does not use and
 * libphonenumber-js until class-validator validates a phone number (module-hooks/).
 *
 * Configured by the standard variables (OTEL_SERVICE_NAME, OTEL_EXPORTER_OTLP_ENDPOINT,
 * OTEL_EXPORTER_OTLP_PROTOCOL, OTEL_TRACES_EXPORTER, OTEL_TRACES_SAMPLER, OTEL_RESOURCE_ATTRIBUTES…;
 * see the README, *Operating a service*). Only traces: metrics stay on /metrics (Prometheus),
 * logs on stdout.
 */
import { loadOnlyPostgresDriver } from '@skald/persistence/typeorm-drivers';
import { importHttpWithoutUndici } from '../module-hooks/http-without-undici.js';
import { loadPhoneNumbersOnDemand } from '../module-hooks/phone-numbers-on-demand.js';
import { importOnlyTheHelpersSwaggerUses } from '../module-hooks/swagger-es-toolkit.js';
import { tracingSettings } from './tracing-settings.js';

loadOnlyPostgresDriver();
importHttpWithoutUndici();
importOnlyTheHelpersSwaggerUses();
loadPhoneNumbersOnDemand();

const settings = tracingSettings(process.env, process.argv[1]);
if (settings) {
  const { startTracing } = await import('./sdk.js');
  await startTracing(settings);
}
