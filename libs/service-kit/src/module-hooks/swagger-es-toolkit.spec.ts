import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { SWAGGER_ES_TOOLKIT_FUNCTIONS } from './swagger-es-toolkit.js';

const swaggerDist = path.dirname(require.resolve('@nestjs/swagger/package.json')) + '/dist';
// In a child node process: the hook is Node's (module.registerHooks), which Jest's own module system
// bypasses. The child loads the built module (npm test builds before it tests).
const hook = pathToFileURL(path.resolve(__dirname, '../../dist/module-hooks/swagger-es-toolkit.js')).href;

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.js'))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

/** es-toolkit's modules a child process loads when it imports @nestjs/swagger (with the hook or not), and its exports. */
function importSwagger(withHook: boolean): { esToolkitModules: number; swaggerExports: number } {
  const script = `
    import { registerHooks } from 'node:module';
    const { importOnlyTheHelpersSwaggerUses } = await import(${JSON.stringify(hook)});
    if (${withHook}) importOnlyTheHelpersSwaggerUses();
    const loaded = new Set();
    registerHooks({ load(url, context, nextLoad) { if (url.includes('/es-toolkit/')) loaded.add(url); return nextLoad(url, context); } });
    const swagger = await import('@nestjs/swagger');
    new swagger.DocumentBuilder().setTitle('t').build();
    console.log(JSON.stringify({ esToolkitModules: loaded.size, swaggerExports: Object.keys(swagger).length }));`;
  const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: path.resolve(__dirname, '../..'), encoding: 'utf8' });
  return JSON.parse(output) as { esToolkitModules: number; swaggerExports: number };
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
