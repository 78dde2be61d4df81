/**
 * An ESM `import` of node:http, in a service process, without loading Node's internal undici.
 *
 * On Node 26, node:http has three lazy getters, `WebSocket`, `CloseEvent` and `MessageEvent`, that
 * load Node's internal undici (an 830 kB bundle: fetch, WebSocket…) when read. `require('node:http')`
 * reads none of them, but the first ESM `import` of node:http builds the module's named exports by
 * reading every property, and `@nestjs/core` and `@nestjs/platform-express` are ESM: ≈ 2.7 MB of
 * every service's heap for an API no service uses (docs/adr/0003-service-runtime.md, Memory).
 *
 * A module hook answers an ESM import of `node:http` (or `http`) with a module exporting the same
 * object as its default export and every other property of it as a named export, but those three.
 * `http.WebSocket` and the rest still work through the default export or `require`; a named import
 * of one of the three fails to link, saying so. Registered by the service entry before any service
 * code loads (tracing/instrument.ts); tests and tools import node:http as it is.
 */
import { registerHooks } from 'node:module';

/** node:http's exports that load Node's internal undici when read. */
export const UNDICI_GETTERS: readonly string[] = ['WebSocket', 'CloseEvent', 'MessageEvent'];

const HTTP_SPECIFIERS = new Set(['node:http', 'http']);
const MODULE_URL = 'skald:node-http-without-undici';

/** The module an ESM import of node:http gets: its named exports are read from the object at evaluation. */
function moduleSource(): string {
  const names = Object.keys(process.getBuiltinModule('node:http')).filter((name) => !UNDICI_GETTERS.includes(name));
  return [
    "const http = process.getBuiltinModule('node:http');",
    'export default http;',
    `export const { ${names.join(', ')} } = http;`,
  ].join('\n');
}

/** Registers the hook; once per process (the service entry does). */
export function importHttpWithoutUndici(): void {
  registerHooks({
    resolve(specifier, context, nextResolve) {
      if (HTTP_SPECIFIERS.has(specifier) && context.conditions?.includes('import')) {
        return { url: MODULE_URL, format: 'module', shortCircuit: true };
      }
      return nextResolve(specifier, context);
    },
    load(url, context, nextLoad) {
      if (url === MODULE_URL) return { format: 'module', source: moduleSource(), shortCircuit: true };
      return nextLoad(url, context);
    },
  });
}
