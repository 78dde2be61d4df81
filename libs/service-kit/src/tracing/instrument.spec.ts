import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { SERVICE_ENTRY } from '../../../../scripts/lib/suite.mjs';

// A service process starts as `node <V8 flags> --import @skald/service-kit/instrument dist/main.js`
// (SERVICE_ENTRY): the entry, built, is what runs here, in a service's folder as in its image.
const orders = path.resolve(__dirname, '../../../../services/orders');
const entryArgs = SERVICE_ENTRY.slice(0, -1);

describe('the service entry (--import @skald/service-kit/instrument)', () => {
  it('has TypeORM load only its PostgreSQL driver', () => {
    expect(entryArgs).toContain('@skald/service-kit/instrument');
    const script = `const { DataSource } = (await import('node:module')).createRequire(process.cwd() + '/')('typeorm');
      new DataSource({ type: 'postgres', url: 'postgres://nobody@127.0.0.1:9/none' });
      console.log(JSON.stringify(globalThis.loadedUrls.map((url) => /\\/typeorm\\/driver\\/([^/]+)\\/[^/]*Driver\\.js$/.exec(url)?.[1]).filter(Boolean)));`;
    expect(runStarted(script)).toEqual(['postgres']);
  });

  it('imports node:http without loading Node’s internal undici', () => {
    const script = `await import('node:http');
      console.log(JSON.stringify(process.moduleLoadList.some((name) => name.includes('internal/deps/undici'))));`;
    expect(runStarted(script)).toBe(false);
  });

  it('has @nestjs/swagger load only the es-toolkit functions it uses (≈ 130 modules, not ≈ 430)', () => {
    const script = `await import('@nestjs/swagger');
      console.log(JSON.stringify(globalThis.loadedUrls.filter((url) => url.includes('/es-toolkit/')).length));`;
    expect(runStarted(script)).toBeLessThan(200);
  });

  it('has class-validator load libphonenumber-js only when a phone number is validated', () => {
    const script = `const validator = (await import('node:module')).createRequire(process.cwd() + '/')('class-validator');
      const loaded = () => globalThis.loadedUrls.filter((url) => url.includes('/node_modules/libphonenumber-js/')).length;
      const atImport = loaded();
      console.log(JSON.stringify({ atImport, valid: validator.isPhoneNumber('+44 20 7946 0958'), afterValidation: loaded() > 0 }));`;
    expect(runStarted(script)).toEqual({ atImport: 0, valid: true, afterValidation: true });
  });

  it('loads the tracing instrumentations only when an exporter is configured', () => {
    const script = `console.log(JSON.stringify(globalThis.loadedUrls.filter((url) => url.includes('/@opentelemetry/instrumentation-')).length));`;
    expect(runStarted(script)).toBe(0);
    expect(runStarted(script, { OTEL_TRACES_EXPORTER: 'console' })).toBeGreaterThan(0);
  });
});

/**
 * Runs an ES module `script` in a process started by the service entry, in the orders service's
 * folder, with every module URL loaded since before the entry in `globalThis.loadedUrls`; the
 * script's last line of output, parsed as JSON.
 */
function runStarted(script: string, env: Record<string, string> = {}): unknown {
  const recorder = `import { registerHooks } from 'node:module';
    globalThis.loadedUrls = [];
    registerHooks({ load: (url, context, next) => (globalThis.loadedUrls.push(url), next(url, context)) });`;
  const output = execFileSync(
    process.execPath,
    ['--import', `data:text/javascript,${encodeURIComponent(recorder)}`, ...entryArgs, '--input-type=module', '-e', script],
    { cwd: orders, encoding: 'utf8', env: { ...process.env, OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: '', ...env } },
  );
  return JSON.parse(output.trim().split('\n').at(-1) ?? '');
}
