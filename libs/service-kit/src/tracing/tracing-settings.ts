import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** How the tracing SDK of one process runs, worked out from its environment before it starts. */
export interface TracingSettings {
  /** The resource's `service.name`. */
  serviceName: string;
  /**
   * True when a trace exporter is configured. Without one, spans are still created (real trace and
   * span ids, for propagation and logs) but never recorded: nothing to export, next to no cost.
   */
  exporting: boolean;
}

/**
 * The tracing settings of a service process, or undefined when `OTEL_SDK_DISABLED=true`.
 * `OTEL_SERVICE_NAME` defaults to the name of the package whose main module runs (`@skald/orders`
 * → `orders`). A trace exporter counts as configured when `OTEL_TRACES_EXPORTER` names one (not
 * `none`) or an OTLP endpoint is set (the OTLP exporter's own default, localhost:4318, is not
 * something a service without a collector should keep trying).
 */
export function tracingSettings(env: NodeJS.ProcessEnv, mainModule: string | undefined): TracingSettings | undefined {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return undefined;
  const serviceName = env.OTEL_SERVICE_NAME?.trim() || packageServiceName(mainModule) || 'skald';
  const exporters = (env.OTEL_TRACES_EXPORTER ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  const endpoint = Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim() || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim());
  const exporting = exporters.includes('none') ? false : exporters.length > 0 || endpoint;
  return { serviceName, exporting };
}

/** The unscoped name of the nearest package.json above the main module. */
function packageServiceName(mainModule: string | undefined): string | undefined {
  if (!mainModule) return undefined;
  let dir = path.dirname(path.resolve(mainModule));
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest)) {
      const { name } = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string };
      return name?.replace(/^@[^/]+\//, '');
    }
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
