import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { loadedTypeOrmDrivers } from '@skald/persistence';
import { SERVICE_ENTRY } from '../../../../scripts/lib/suite.mjs';

// A service process starts as `node <V8 flags> --import @skald/service-kit/instrument dist/main.js`
// (SERVICE_ENTRY): the entry, built, is what runs here, in a service's folder as in its image.
const orders = path.resolve(__dirname, '../../../../services/orders');
const entryArgs = SERVICE_ENTRY.slice(0, -1);

describe('the service entry (--import @skald/service-kit/instrument)', () => {
  it('has TypeORM load only its PostgreSQL driver', () => {
    expect(entryArgs).toContain('@skald/service-kit/instrument');
    expect(loadedTypeOrmDrivers({ cwd: orders, nodeArgs: entryArgs }).drivers).toEqual(['postgres']);
  });

  it('imports node:http without loading Node’s internal undici', () => {
    const script = `await import('node:http');
      console.log(JSON.stringify({ undiciLoaded: process.moduleLoadList.some((name) => name.includes('internal/deps/undici')) }));`;
    const output = execFileSync(process.execPath, [...entryArgs, '--input-type=module', '-e', script], { cwd: orders, encoding: 'utf8' });
    expect(JSON.parse(output)).toEqual({ undiciLoaded: false });
  });

  it('has @nestjs/swagger load only the es-toolkit functions it uses (≈ 130 modules, not ≈ 430)', () => {
    const script = `const urls = new Set();
      (await import('node:module')).registerHooks({ load: (url, context, next) => (urls.add(url), next(url, context)) });
      await import('@nestjs/swagger');
      console.log(JSON.stringify({ esToolkitModules: [...urls].filter((url) => url.includes('/es-toolkit/')).length }));`;
    const output = execFileSync(process.execPath, [...entryArgs, '--input-type=module', '-e', script], { cwd: orders, encoding: 'utf8' });
    expect((JSON.parse(output) as { esToolkitModules: number }).esToolkitModules).toBeLessThan(200);
  });
});
