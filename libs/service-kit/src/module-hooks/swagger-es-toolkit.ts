/**
 * @nestjs/swagger, in a service process, without the whole of es-toolkit's compat layer.
 *
 * @nestjs/swagger imports its lodash-like helpers from `es-toolkit/compat`, whose index loads every
 * one of the layer's ≈ 430 modules: ≈ 3.3 MB of every service's heap, for the functions it uses (30),
 * which from their own modules (`es-toolkit/compat/omit`…) take ≈ 1.1 MB
 * (docs/adr/0003-service-runtime.md, Memory). A module hook answers @nestjs/swagger's ESM imports of
 * `es-toolkit/compat` with one module that re-exports just those functions from their own modules.
 * SWAGGER_ES_TOOLKIT_FUNCTIONS must name every function it imports (a spec checks it against the
 * installed @nestjs/swagger; a name missing would stop a service at start, not later).
 * Registered by the service entry before any service code loads (tracing/instrument.ts).
 */
import { registerHooks } from 'node:module';

/** The functions @nestjs/swagger imports from `es-toolkit/compat`. */
export const SWAGGER_ES_TOOLKIT_FUNCTIONS: readonly string[] = [
  'assign', 'clone', 'cloneDeep', 'compact', 'find', 'flatMap', 'flatten', 'get', 'groupBy', 'head', 'identity',
  'isArray', 'isEmpty', 'isEqual', 'isFunction', 'isNil', 'isString', 'isUndefined', 'keyBy', 'map', 'mapValues',
  'merge', 'negate', 'omit', 'omitBy', 'pick', 'pickBy', 'some', 'unionWith', 'uniq',
];

const SWAGGER_PACKAGE = /^(.*\/node_modules\/@nestjs\/swagger\/)/;
/** The module's name, a file in @nestjs/swagger's folder that does not exist, so es-toolkit resolves from there. */
const MODULE_FILE = 'skald-es-toolkit-compat.mjs';

/** Registers the hook; once per process (the service entry does). */
export function importOnlyTheHelpersSwaggerUses(): void {
  registerHooks({
    resolve(specifier, context, nextResolve) {
      const swagger = specifier === 'es-toolkit/compat' && context.conditions?.includes('import') ? SWAGGER_PACKAGE.exec(context.parentURL ?? '') : null;
      if (swagger) return { url: swagger[1] + MODULE_FILE, format: 'module', shortCircuit: true };
      return nextResolve(specifier, context);
    },
    load(url, context, nextLoad) {
      if (!url.endsWith(`/node_modules/@nestjs/swagger/${MODULE_FILE}`)) return nextLoad(url, context);
      const source = SWAGGER_ES_TOOLKIT_FUNCTIONS.map((name) => `export { default as ${name} } from 'es-toolkit/compat/${name}';`).join('\n');
      return { format: 'module', source, shortCircuit: true };
    },
  });
}
