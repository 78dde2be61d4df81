import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { tracingSettings } from './tracing-settings.js';

describe('tracing settings from the OTEL_* environment', () => {
  const serviceDir = mkdtempSync(path.join(tmpdir(), 'skald-tracing-'));
  mkdirSync(path.join(serviceDir, 'dist'));
  writeFileSync(path.join(serviceDir, 'package.json'), JSON.stringify({ name: '@skald/inventory' }));
  const main = path.join(serviceDir, 'dist', 'main.js');

  it("names the service after its package and exports nothing when no exporter is configured", () => {
    expect(tracingSettings({}, main)).toEqual({ serviceName: 'inventory', exporting: false });
  });

  it('exports when an OTLP endpoint or a trace exporter is set, unless the exporter is none', () => {
    expect(tracingSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }, main)?.exporting).toBe(true);
    expect(tracingSettings({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' }, main)?.exporting).toBe(true);
    expect(tracingSettings({ OTEL_TRACES_EXPORTER: 'console' }, main)?.exporting).toBe(true);
    expect(tracingSettings({ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }, main)?.exporting).toBe(false);
  });

  it('keeps the service name the environment gives; OTEL_SDK_DISABLED turns the SDK off', () => {
    expect(tracingSettings({ OTEL_SERVICE_NAME: 'inventory-eu' }, main)?.serviceName).toBe('inventory-eu');
    expect(tracingSettings({ OTEL_SDK_DISABLED: 'true' }, main)).toBeUndefined();
  });
});
