/**
 * A service image's production tree, made without Docker: the Dockerfile's own `prod-deps` commands
 * (read from deploy/docker/service.Dockerfile, run by `sh` as the image's RUN would) in a scratch
 * folder holding what that stage holds — the root manifest, the lock and every workspace manifest.
 * npm takes the packages from its cache (filled by the repository's own install; the registry only
 * for what is missing there).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseDockerfile, stage } from './dockerfile.js';

export const root = path.resolve(__dirname, '../../..');
export const dockerfile = parseDockerfile(readFileSync(path.join(root, 'deploy/docker/service.Dockerfile'), 'utf8'));

/** The six services and the port each image is built for (docker-compose.yml, deploy/k8s). */
export const services = { gateway: 3000, orders: 3001, inventory: 3002, warehouse: 3003, returns: 3004, notifications: 3005 } as const;
export type Service = keyof typeof services;

/** The workspace manifests the `manifests` stage collects (every workspace the root lists). */
function workspaceManifests(): string[] {
  const under = (dir: string) => readdirSync(path.join(root, dir)).map((name) => `${dir}/${name}/package.json`);
  return [...under('libs'), ...under('services'), 'e2e/package.json', 'deploy/package.json'];
}

/** A scratch folder as the prod-deps stage starts: /app of the `base` stage. */
export function scratchBase(service: Service): string {
  const dir = mkdtempSync(path.join(tmpdir(), `skald-image-${service}-`));
  for (const file of ['package.json', 'package-lock.json', ...workspaceManifests()]) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    cpSync(path.join(root, file), path.join(dir, file));
  }
  return dir;
}

/** The prod-deps stage's RUN instructions, as the image builds them. */
export function prodDepsRuns(): string[] {
  return stage(dockerfile, 'prod-deps')
    .instructions.filter((i) => i.keyword === 'RUN')
    .map((i) => i.args);
}

/**
 * Runs the prod-deps stage's commands in `dir` (the image's /app) for `service`. A dry run has
 * `npm ci` print what it would add (`add <name> <version>` lines, returned) instead of unpacking it:
 * a few seconds instead of tens.
 */
export function runProdDeps(dir: string, service: Service, { dryRun }: { dryRun: boolean }): string {
  const env = {
    ...process.env,
    SERVICE: service,
    npm_config_prefer_offline: 'true',
    npm_config_dry_run: String(dryRun),
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    npm_config_loglevel: 'error',
  };
  return prodDepsRuns()
    .map((run) => execFileSync('sh', ['-ec', run], { cwd: dir, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 16 << 20 }))
    .join('');
}

/** Names of the packages in a dry run's output. */
export function addedPackages(output: string): Set<string> {
  return new Set([...output.matchAll(/^add (\S+) \S+$/gm)].map((m) => m[1]));
}

/**
 * The names of the packages installed in the tree at `app`: its node_modules, the workspaces' own
 * and every package's nested ones, links to workspaces counted by their name.
 */
export function installedPackages(app: string): Set<string> {
  const found = new Set<string>();
  const visit = (packageDir: string) => {
    const modules = path.join(packageDir, 'node_modules');
    if (!existsSync(modules)) return;
    for (const name of readdirSync(modules)) {
      if (name.startsWith('.')) continue;
      const names = name.startsWith('@') ? readdirSync(path.join(modules, name)).map((n) => `${name}/${n}`) : [name];
      for (const pkg of names) {
        found.add(pkg);
        if (!lstatSync(path.join(modules, pkg)).isSymbolicLink()) visit(path.join(modules, pkg));
      }
    }
  };
  visit(app);
  for (const group of ['libs', 'services']) {
    if (existsSync(path.join(app, group))) for (const workspace of readdirSync(path.join(app, group))) visit(path.join(app, group, workspace));
  }
  return found;
}

/** The package a bare import specifier names: `@scope/name/sub` → `@scope/name`, `name/sub` → `name`. */
export function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

const builtins = new Set(builtinModules);

/**
 * The packages compiled JavaScript under `dir` loads: static and dynamic imports, re-exports and
 * requires of bare specifiers (Node's own modules and relative paths left out).
 */
export function importedPackages(dir: string): Set<string> {
  const found = new Set<string>();
  const walk = (at: string) => {
    for (const name of readdirSync(at)) {
      const full = path.join(at, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (/\.(m|c)?js$/.test(name)) {
        const code = readFileSync(full, 'utf8');
        // `import … from 'x'` / `export … from 'x'` statements (tsc starts each on a line of its
        // own), `import 'x'`, `import('x')` and `require('x')`.
        const specifiers = [
          ...code.matchAll(/^\s*(?:import|export)\b[^;'"]*?\bfrom\s*(['"])([^'"\s]+)\1/gm),
          ...code.matchAll(/^\s*import\s*(['"])([^'"\s]+)\1/gm),
          ...code.matchAll(/\b(?:import|require)\(\s*(['"])([^'"\s]+)\1\s*\)/g),
        ];
        for (const [, , specifier] of specifiers) {
          if (specifier.startsWith('.') || specifier.startsWith('node:') || builtins.has(specifier.split('/')[0])) continue;
          found.add(packageOf(specifier));
        }
      }
    }
  };
  walk(dir);
  return found;
}

/**
 * What must never be in an image: test runners and libraries, the test servers that play outside
 * parties, build and lint tools, the e2e, deploy and other services' workspaces.
 */
export function isTestOrBuildTool(name: string, service: Service): boolean {
  const otherWorkspaces = ['@skald/testing', '@skald/e2e', '@skald/deploy', ...Object.keys(services).filter((s) => s !== service).map((s) => `@skald/${s}`)];
  const exact = ['jest', 'supertest', 'superagent', 'smtp-server', 'mailparser', 'fast-check', 'nx', 'typescript', 'eslint', 'typescript-eslint', 'playwright-core', 'playwright', 'kubernetes-models', 'babel-jest', 'ts-jest', 'identity-obj-proxy'];
  const prefixes = ['jest-', '@jest/', '@swc/', '@nx/', '@eslint/', '@typescript-eslint/', '@babel/', '@types/jest', '@types/supertest', '@types/mailparser', '@types/smtp-server', '@asyncapi/', '@redocly/'];
  return otherWorkspaces.includes(name) || exact.includes(name) || prefixes.some((p) => name.startsWith(p));
}

/** Total size in bytes of the regular files under `dir` (symlinks not followed). */
export function sizeOf(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) total += sizeOf(full);
    else if (entry.isFile()) total += statSync(full).size;
  }
  return total;
}
