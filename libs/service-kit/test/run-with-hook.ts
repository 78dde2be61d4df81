import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const serviceKit = path.resolve(__dirname, '..');

/**
 * Runs an ES module `script` in a child node process, for the module hooks' specs: the hooks are
 * Node's (module.registerHooks), which Jest's own module system bypasses. When `hook` is given,
 * the child first registers it: `register` exported by the built `dist/module-hooks/<file>.js`
 * (npm test builds before it tests). Every module URL the child loads from then on is in
 * `globalThis.loadedUrls`. @returns the script's last line of output, parsed as JSON.
 */
export function runWithHook<T>(hook: { file: string; register: string } | null, script: string): T {
  const hookUrl = hook && pathToFileURL(path.join(serviceKit, 'dist/module-hooks', `${hook.file}.js`)).href;
  const child = `
    import { registerHooks } from 'node:module';
    ${hookUrl ? `(await import(${JSON.stringify(hookUrl)})).${hook?.register}();` : ''}
    globalThis.loadedUrls = [];
    registerHooks({ load: (url, context, next) => (globalThis.loadedUrls.push(url), next(url, context)) });
    ${script}`;
  const output = execFileSync(process.execPath, ['--input-type=module', '-e', child], { cwd: serviceKit, encoding: 'utf8' });
  return JSON.parse(output.trim().split('\n').at(-1) ?? '') as T;
}
