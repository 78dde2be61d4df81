import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { runWithHook } from '../../test/run-with-hook.js';
import { SWAGGER_ES_TOOLKIT_FUNCTIONS } from './swagger-es-toolkit.js';

const swaggerDist = path.dirname(require.resolve('@nestjs/swagger/package.json')) + '/dist';

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.js'))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

/** es-toolkit's modules a child process loads when it imports @nestjs/swagger (with the hook or not), and its exports. */
function importSwagger(withHook: boolean): { esToolkitModules: number; swaggerExports: number } {
  const script = `
    const swagger = await import('@nestjs/swagger');
    new swagger.DocumentBuilder().setTitle('t').build();
    console.log(JSON.stringify({
      esToolkitModules: globalThis.loadedUrls.filter((url) => url.includes('/es-toolkit/')).length,
      swaggerExports: Object.keys(swagger).length,
    }));`;
  return runWithHook(withHook ? { file: 'swagger-es-toolkit', register: 'importOnlyTheHelpersSwaggerUses' } : null, script);
}

describe('importOnlyTheHelpersSwaggerUses', () => {
  it('names every function the installed @nestjs/swagger imports from es-toolkit/compat, and only those', () => {
    const imported = new Set<string>();
    for (const file of filesUnder(swaggerDist)) {
      for (const match of readFileSync(file, 'utf8').matchAll(/import\s*\{([^}]*)\}\s*from\s*'es-toolkit\/compat'/g)) {
        for (const name of match[1].split(',')) if (name.trim()) imported.add(name.trim());
      }
      expect(readFileSync(file, 'utf8')).not.toMatch(/import\s+(\*|[\w$]+)[^{]*from\s*'es-toolkit\/compat'/);
    }
    expect([...SWAGGER_ES_TOOLKIT_FUNCTIONS].sort()).toEqual([...imported].sort());
  });

  it('has @nestjs/swagger load es-toolkit’s functions one by one instead of its whole compat layer', () => {
    const plain = importSwagger(false);
    const hooked = importSwagger(true);
    expect(plain.esToolkitModules).toBeGreaterThan(300);
    expect(hooked.esToolkitModules).toBeLessThan(plain.esToolkitModules / 3);
    expect(hooked.swaggerExports).toBe(plain.swaggerExports);
  });
});
